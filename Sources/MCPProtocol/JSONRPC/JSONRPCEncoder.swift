// Builds JSON-RPC messages by concatenating pre-encoded parts, so relayed payloads are
// never parsed or re-encoded.

public enum JSONRPCEncoder {
    private static let prefix = Array("{\"jsonrpc\":\"2.0\"".utf8)

    public static func request(id: JSONRPCID, method: String, params: ArraySlice<UInt8>?) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(64 + (params?.count ?? 0))
        out.append(contentsOf: ",\"id\":".utf8)
        out.append(contentsOf: id.encoded)
        out.append(contentsOf: ",\"method\":".utf8)
        JSONWriter.writeString(method, into: &out)
        if let params {
            out.append(contentsOf: ",\"params\":".utf8)
            out.append(contentsOf: params)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func request(id: JSONRPCID, method: String, params: JSONValue?) -> [UInt8] {
        request(id: id, method: method, params: params.map { JSONWriter.encode($0)[...] })
    }

    public static func notification(method: String, params: ArraySlice<UInt8>?) -> [UInt8] {
        var out = prefix
        out.append(contentsOf: ",\"method\":".utf8)
        JSONWriter.writeString(method, into: &out)
        if let params {
            out.append(contentsOf: ",\"params\":".utf8)
            out.append(contentsOf: params)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func notification(method: String, params: JSONValue?) -> [UInt8] {
        notification(method: method, params: params.map { JSONWriter.encode($0)[...] })
    }

    public static func result(id: JSONRPCID?, result: ArraySlice<UInt8>) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(48 + result.count)
        out.append(contentsOf: ",\"id\":".utf8)
        if let id { out.append(contentsOf: id.encoded) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"result\":".utf8)
        out.append(contentsOf: result)
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func result(id: JSONRPCID?, result: JSONValue) -> [UInt8] {
        self.result(id: id, result: JSONWriter.encode(result)[...])
    }

    public static func error(id: JSONRPCID?, error: JSONRPCErrorObject) -> [UInt8] {
        errorRaw(id: id, error: JSONWriter.encode(error.json)[...])
    }

    public static func error(id: JSONRPCID?, code: Int, message: String, data: JSONValue? = nil) -> [UInt8] {
        error(id: id, error: JSONRPCErrorObject(code: code, message: message, data: data))
    }

    /// An error response whose error object is relayed unchanged.
    public static func errorRaw(id: JSONRPCID?, error: ArraySlice<UInt8>) -> [UInt8] {
        var out = prefix
        out.append(contentsOf: ",\"id\":".utf8)
        if let id { out.append(contentsOf: id.encoded) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"error\":".utf8)
        out.append(contentsOf: error)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
