// The headers a 2026-07-28 HTTP request repeats from its body so that proxies and servers
// can route without parsing it: MCP-Protocol-Version, Mcp-Method, Mcp-Name and Mcp-Param-*.

import MCPProtocol

enum ModernRoutingHeaders {
    static let version = "2026-07-28"

    static func headers(for message: [UInt8], paramMaps: [String: ParamHeaderMap]) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = [("MCP-Protocol-Version", version)]
        guard let decoded = try? JSONRPCMessage.decode(message), let method = decoded.method else { return out }
        out.append(("Mcp-Method", method))
        let nameKey: String
        switch method {
        case "tools/call", "prompts/get": nameKey = "name"
        case "resources/read": nameKey = "uri"
        default: return out
        }
        guard let range = decoded.paramsRange, let members = try? JSONScanner.members(of: decoded.bytes, in: range),
              let nameMember = members.first(where: { $0.key == nameKey }),
              let name = JSONScanner.string(in: decoded.bytes, range: nameMember.range) else { return out }
        out.append(("Mcp-Name", ParamHeaderMap.headerValue(name)))
        if method == "tools/call", let map = paramMaps[name], !map.entries.isEmpty {
            let arguments = members.first { $0.key == "arguments" }.flatMap { try? JSONParser.parse(decoded.bytes[$0.range]) }
            out.append(contentsOf: map.headers(arguments: arguments))
        }
        return out
    }
}
