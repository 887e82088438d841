// 2026-07-28: a `tools/call` of a tool whose schema marks arguments with `x-mcp-header` must
// mirror each of them in an `Mcp-Param-*` header, and the two must agree (-32020 otherwise),
// so that whatever routes on the header sees what the backend will get.

import GatewayBackends
import HTTPTypes
import MCPProtocol

enum ParamHeaderCheck {
    /// Why the headers and the arguments disagree, or nil.
    static func mismatch(map: ParamHeaderMap, arguments: JSONValue?, headers: HTTPFields) -> String? {
        var expected: [String: String] = [:]
        for header in map.headers(arguments: arguments) { expected[header.name.lowercased()] = header.value }
        for entry in map.entries {
            let name = ParamHeaderMap.headerPrefix + entry.token
            guard let field = HTTPField.Name(name) else { continue }
            let values = headers[values: field]
            let argument = entry.path.joined(separator: ".")
            if values.count > 1 { return "\(name) header appears more than once" }
            switch (values.first, expected[name.lowercased()]) {
            case (nil, nil):
                continue
            case (.some, nil):
                return "\(name) header is present but the '\(argument)' argument is absent"
            case (nil, .some):
                return "\(name) header is missing but the '\(argument)' argument is present"
            case (let sent?, let wanted?):
                if ModernHTTPEndpoint.decodeHeaderValue(sent) != ModernHTTPEndpoint.decodeHeaderValue(wanted) {
                    return "\(name) header does not match the '\(argument)' argument"
                }
            }
        }
        return nil
    }
}
