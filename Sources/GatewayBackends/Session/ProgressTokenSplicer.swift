// Puts the gateway's own members (a progress token, the 2026-07-28 envelope) into a
// request's `params._meta`, keeping every other byte of the params as the caller sent them.

import MCPProtocol

public enum ProgressTokenSplicer {
    public static func splice(token: String, into params: ArraySlice<UInt8>?) -> [UInt8] {
        splice(meta: [("progressToken", .string(token))], into: params)
    }

    /// Sets each member in `params._meta`; ours replace the caller's members of the same name.
    public static func splice(meta: [(String, JSONValue)], into params: ArraySlice<UInt8>?) -> [UInt8] {
        guard !meta.isEmpty else { return params.map { Array($0) } ?? Array("{}".utf8) }
        guard let params, !params.isEmpty else {
            return JSONWriter.encode(["_meta": .object(JSONObject(meta))])
        }
        let bytes = Array(params)
        guard let members = try? JSONScanner.members(of: bytes) else { return bytes }
        if let existing = members.first(where: { $0.key == "_meta" }) {
            var metaValue = (try? JSONParser.parse(bytes[existing.range]))?.objectValue ?? JSONObject()
            for (key, value) in meta { metaValue[key] = value }
            var out = Array(bytes[..<existing.range.lowerBound])
            out.append(contentsOf: JSONWriter.encode(.object(metaValue)))
            out.append(contentsOf: bytes[existing.range.upperBound...])
            return out
        }
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return bytes }
        var out = Array(bytes[...open])
        out.append(contentsOf: "\"_meta\":".utf8)
        JSONWriter.write(.object(JSONObject(meta)), into: &out)
        if !members.isEmpty { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: bytes[(open + 1)...])
        return out
    }
}
