// The scope check on every backend-bound operation, whatever the entry path: a tool, resource
// or prompt the principal may not see is refused as hidden (each path then answers as for an
// unknown name), and the list answers `/mcp/{backend}` relays are filtered to what the
// principal may see. Listings the gateway builds itself filter through CatalogView.

import GatewayGovernance
import Logging
import MCPProtocol

public struct AccessStage: CallStage {
    let control: AccessControl
    let logger: Logger

    public init(control: AccessControl, logger: Logger) {
        self.control = control
        self.logger = logger
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        let policy = control.policy
        guard policy.isInForce else { return await next(call) }
        let access = policy.access(for: call.principal)
        guard !access.isUnrestricted else { return await next(call) }
        let target = Self.target(of: call)
        if case .hidden(let rule, let wholeServer) = access.verdict(target) {
            if policy.logsDenials {
                logger.notice("denied", metadata: [
                    "principal": "\(call.principal.owner)", "server": "\(call.server)", "method": "\(call.operation.method)",
                    "target": "\(target.item)", "rule": "\(rule)",
                ])
            }
            return .refused(.hidden(rule: rule, wholeServer: wholeServer, unknownNameError: Self.unknownNameError(target)))
        }
        guard case .relayed(let method) = call.operation, let list = RelayedList(method: method) else { return await next(call) }
        let outcome = await next(call)
        guard case .result(let raw) = outcome else { return outcome }
        return .result(list.filter(raw, server: call.server, access: access))
    }

    /// What the operation touches: the named tool, resource or prompt, or (for other relayed
    /// methods) the server; a completion names the prompt or resource it completes for.
    static func target(of call: BackendCall) -> AccessTarget {
        switch call.operation {
        case .tool(let name): return .tool(server: call.server, name: name)
        case .resourceRead(let uri), .resourceSubscription(let uri, _): return .resource(server: call.server, uri: uri)
        case .prompt(let name): return .prompt(server: call.server, name: name)
        case .relayed(let method):
            if method == "completion/complete", let reference = completionReference(call.arguments, server: call.server) {
                return reference
            }
            return .server(call.server)
        }
    }

    /// `params.ref` of a `completion/complete`: `{type: ref/prompt, name}` or `{type: ref/resource, uri}`.
    static func completionReference(_ params: [UInt8], server: String) -> AccessTarget? {
        guard let value = try? JSONParser.parse(params), let reference = value["ref"] else { return nil }
        switch reference["type"]?.stringValue {
        case "ref/prompt": return reference["name"]?.stringValue.map { .prompt(server: server, name: $0) }
        case "ref/resource": return reference["uri"]?.stringValue.map { .resource(server: server, uri: $0) }
        default: return nil
        }
    }

    /// The error an unknown name gets on the paths that relay JSON-RPC errors.
    static func unknownNameError(_ target: AccessTarget) -> JSONRPCErrorObject {
        let message: String
        switch target {
        case .server(let server): message = "Unknown server: \(server)"
        case .tool(_, let name): message = "Unknown tool: \(name)"
        case .resource(_, let uri): message = "Unknown resource: \(uri)"
        case .prompt(_, let name): message = "Unknown prompt: \(name)"
        }
        return JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: message)
    }
}

/// A list answer relayed from one backend, filtered to what a principal may see.
struct RelayedList {
    let key: String
    let target: (String, JSONValue) -> AccessTarget?

    init?(method: String) {
        switch method {
        case "tools/list":
            key = "tools"
            target = { server, item in item["name"]?.stringValue.map { .tool(server: server, name: $0) } }
        case "prompts/list":
            key = "prompts"
            target = { server, item in item["name"]?.stringValue.map { .prompt(server: server, name: $0) } }
        case "resources/list":
            key = "resources"
            target = { server, item in item["uri"]?.stringValue.map { .resource(server: server, uri: $0) } }
        case "resources/templates/list":
            key = "resourceTemplates"
            target = { server, item in item["uriTemplate"]?.stringValue.map { .resource(server: server, uri: $0) } }
        default:
            return nil
        }
    }

    /// The result without the items `access` hides; a 2026-07-28 cache hint becomes private,
    /// since the answer is this principal's.
    func filter(_ raw: RawJSON, server: String, access: PrincipalAccess) -> RawJSON {
        guard case .object(var result)? = try? raw.parsed(), let items = result[key]?.arrayValue else { return raw }
        result[key] = .array(items.filter { item in
            // An item without its name cannot be checked: not shown.
            target(server, item).map { access.isVisible($0) } ?? false
        })
        if result["cacheScope"] != nil { result["cacheScope"] = "private" }
        return RawJSON(JSONWriter.encode(.object(result)))
    }
}
