// One config block's allow and deny lists, compiled, with the label that names the block in
// logs and the audit trail (`auth.api_keys[ci]`, `policies.groups[eng]`, `tool_policy`, ...).

import GatewayConfig

public struct AccessRuleSet: Sendable {
    public let label: String
    let allowedServers: [Glob]
    let deniedServers: [Glob]
    let allowed: [Kind: [ItemPattern]]
    let denied: [Kind: [ItemPattern]]

    enum Kind: Sendable, Hashable {
        case tool, resource, prompt
    }

    public init(label: String, settings: AccessRuleSettings) {
        self.label = label
        allowedServers = settings.allowedServers.map(Glob.init)
        deniedServers = settings.deniedServers.map(Glob.init)
        allowed = Self.compile([.tool: settings.allowedTools, .resource: settings.allowedResources, .prompt: settings.allowedPrompts])
        denied = Self.compile([.tool: settings.deniedTools, .resource: settings.deniedResources, .prompt: settings.deniedPrompts])
    }

    private static func compile(_ lists: [Kind: [String]]) -> [Kind: [ItemPattern]] {
        lists.compactMapValues { $0.isEmpty ? nil : $0.map(ItemPattern.init) }
    }

    public var isEmpty: Bool { allowedServers.isEmpty && deniedServers.isEmpty && allowed.isEmpty && denied.isEmpty }

    /// Whether this block lists servers to allow.
    var restrictsServers: Bool { !allowedServers.isEmpty }

    func restricts(_ kind: Kind) -> Bool { allowed[kind] != nil }

    /// The deny rule matching the server, if any.
    func serverDenial(_ server: String) -> String? {
        deniedServers.first { $0.matches(server) }.map { "\(label) denies server '\($0.pattern)'" }
    }

    func allowsServer(_ server: String) -> Bool {
        allowedServers.contains { $0.matches(server) }
    }

    /// The deny rule matching the item, if any.
    func denial(_ kind: Kind, server: String, item: String) -> String? {
        denied[kind]?.first { $0.matches(server: server, item: item) }.map { "\(label) denies '\($0.text)'" }
    }

    func allows(_ kind: Kind, server: String, item: String) -> Bool {
        allowed[kind]?.contains { $0.matches(server: server, item: item) } ?? false
    }
}

extension AccessTarget {
    var kind: AccessRuleSet.Kind? {
        switch self {
        case .server: return nil
        case .tool: return .tool
        case .resource: return .resource
        case .prompt: return .prompt
        }
    }

    /// The tool or prompt name, or the URI; the server's name for a server.
    public var item: String {
        switch self {
        case .server(let server): return server
        case .tool(_, let name), .prompt(_, let name): return name
        case .resource(_, let uri): return uri
        }
    }
}
