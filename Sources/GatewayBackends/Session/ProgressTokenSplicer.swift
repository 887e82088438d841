// Puts the gateway's own progress token into a request's `params._meta`, keeping every
// other byte of the params as the caller sent them.

import MCPProtocol

public enum ProgressTokenSplicer {
    public static func splice(token: String, into params: ArraySlice<UInt8>?) -> [UInt8] {
        let tokenJSON = JSONWriter.quoted(token)
        guard let params, !params.isEmpty else {
            return Array("{\"_meta\":{\"progressToken\":".utf8) + tokenJSON + Array("}}".utf8)
        }
        let bytes = Array(params)
        guard let members = try? JSONScanner.members(of: bytes) else { return bytes }
        if let meta = members.first(where: { $0.key == "_meta" }) {
            var metaValue = (try? JSONParser.parse(bytes[meta.range]))?.objectValue ?? JSONObject()
            metaValue["progressToken"] = .string(token)
            var out = Array(bytes[..<meta.range.lowerBound])
            out.append(contentsOf: JSONWriter.encode(.object(metaValue)))
            out.append(contentsOf: bytes[meta.range.upperBound...])
            return out
        }
        guard let open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return bytes }
        var out = Array(bytes[...open])
        out.append(contentsOf: "\"_meta\":{\"progressToken\":".utf8)
        out.append(contentsOf: tokenJSON)
        out.append(UInt8(ascii: "}"))
        if !members.isEmpty { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: bytes[(open + 1)...])
        return out
    }
}
