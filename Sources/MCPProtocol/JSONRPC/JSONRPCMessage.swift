// A decoded JSON-RPC 2.0 envelope over its original bytes: only `jsonrpc`, `id` and `method`
// are decoded; `params`, `result` and `error` stay byte ranges into `bytes`.

public struct JSONRPCMessage: Sendable {
    public enum Kind: Sendable, Equatable {
        case request, notification, response, errorResponse
    }

    public let bytes: [UInt8]
    public let kind: Kind
    public let id: JSONRPCID?
    public let method: String?
    public let paramsRange: Range<Int>?
    public let resultRange: Range<Int>?
    public let errorRange: Range<Int>?

    public var params: ArraySlice<UInt8>? { paramsRange.map { bytes[$0] } }
    public var result: ArraySlice<UInt8>? { resultRange.map { bytes[$0] } }
    public var error: ArraySlice<UInt8>? { errorRange.map { bytes[$0] } }

    public var paramsRaw: RawJSON? { params.map { RawJSON($0) } }
    public var resultRaw: RawJSON? { result.map { RawJSON($0) } }

    /// The top-level members of `params` as ranges into `bytes` (empty when there are none or
    /// they are not an object): one scan that a handler and the checks before it can share.
    public var paramsMembers: [JSONScanner.Member] { scannedParams ?? [] }
    /// Scanned by `decode` in the pass that finds the envelope (nil: no object params).
    let scannedParams: [JSONScanner.Member]?

    /// Parses the params into a tree: for our own handlers, whose params are small.
    public func paramsValue() throws(JSONParseError) -> JSONValue {
        guard let params else { return .object(JSONObject()) }
        return try JSONParser.parse(params)
    }

    public func errorValue() -> JSONRPCErrorObject? {
        guard let error, let value = try? JSONParser.parse(error) else { return nil }
        return JSONRPCErrorObject(
            code: value["code"]?.intValue ?? JSONRPCErrorCode.internalError,
            message: value["message"]?.stringValue ?? "",
            data: value["data"]
        )
    }

    /// Decodes the envelope. Throws `JSONRPCDecodeError` with a code suitable for the reply.
    public static func decode(_ bytes: [UInt8]) throws(JSONRPCDecodeError) -> JSONRPCMessage {
        let members: [JSONScanner.Member]
        let paramsMembers: [JSONScanner.Member]?
        do {
            (members, paramsMembers) = try JSONScanner.members(of: bytes, expanding: "params")
        } catch {
            throw JSONRPCDecodeError(code: JSONRPCErrorCode.parseError, message: "Parse error: \(error)", id: nil)
        }
        var version: String?
        var idRange: Range<Int>?
        var method: String?
        var params: Range<Int>?
        var result: Range<Int>?
        var errorRange: Range<Int>?
        for member in members {
            switch member.key {
            case "jsonrpc": version = JSONScanner.string(in: bytes, range: member.range)
            case "id": idRange = member.range
            case "method": method = JSONScanner.string(in: bytes, range: member.range)
            case "params": params = member.range
            case "result": result = member.range
            case "error": errorRange = member.range
            default: continue
            }
        }
        var id: JSONRPCID?
        if let idRange, !(bytes[idRange.lowerBound] == UInt8(ascii: "n")) {
            guard let parsed = JSONRPCID(bytes: bytes, range: idRange) else {
                throw JSONRPCDecodeError(code: JSONRPCErrorCode.invalidRequest,
                                         message: "Invalid Request: id must be a string or an integer", id: nil)
            }
            id = parsed
        }
        guard version == "2.0" else {
            throw JSONRPCDecodeError(code: JSONRPCErrorCode.invalidRequest,
                                     message: "Invalid Request: \"jsonrpc\" must be \"2.0\"", id: id)
        }
        let kind: Kind
        if method != nil {
            kind = id == nil ? .notification : .request
            if let params, let first = bytes[params].first(where: { $0 > 0x20 }),
               first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
                throw JSONRPCDecodeError(code: JSONRPCErrorCode.invalidRequest,
                                         message: "Invalid Request: params must be an object or an array", id: id)
            }
        } else if result != nil {
            kind = .response
        } else if errorRange != nil {
            kind = .errorResponse
        } else {
            throw JSONRPCDecodeError(code: JSONRPCErrorCode.invalidRequest,
                                     message: "Invalid Request: a message needs \"method\", \"result\" or \"error\"", id: id)
        }
        if (kind == .response || kind == .errorResponse) && idRange == nil {
            throw JSONRPCDecodeError(code: JSONRPCErrorCode.invalidRequest, message: "Invalid Request: response without id", id: nil)
        }
        return JSONRPCMessage(bytes: bytes, kind: kind, id: id, method: method,
                              paramsRange: params, resultRange: result, errorRange: errorRange,
                              scannedParams: params == nil ? nil : paramsMembers)
    }
}

public struct JSONRPCDecodeError: Error, Sendable {
    public var code: Int
    public var message: String
    public var id: JSONRPCID?
}
