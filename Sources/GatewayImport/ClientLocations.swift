// Where each client keeps its MCP servers on Linux and macOS, user-level and in a project
// (docs/notes/client-config-formats.md, with sources). Codex keeps TOML (CodexConfigReader), the
// others JSON or JSONC (ClientConfigReader).

public enum ClientKind: String, CaseIterable, Sendable {
    case claudeDesktop = "claude-desktop"
    case claudeCode = "claude-code"
    case cursor
    case vscode
    case windsurf
    case zed
    case codex
}

public struct ClientFile: Sendable, Equatable {
    public var client: ClientKind
    public var path: String
    /// For ~/.claude.json: the project folder whose own entry is read too.
    public var project: String?

    public init(client: ClientKind, path: String, project: String? = nil) {
        self.client = client
        self.path = path
        self.project = project
    }
}

public enum ClientLocations {
    /// The files `client` may have, most general first (user, then project), whether or not they exist.
    public static func files(of client: ClientKind, home: String, project: String, xdgConfigHome: String?,
                             macOS: Bool) -> [ClientFile] {
        let config = xdgConfigHome.flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let appSupport = home + "/Library/Application Support"
        func file(_ path: String, project folder: String? = nil) -> ClientFile {
            ClientFile(client: client, path: path, project: folder)
        }
        switch client {
        case .claudeDesktop:
            return [file(macOS ? appSupport + "/Claude/claude_desktop_config.json" : config + "/Claude/claude_desktop_config.json")]
        case .claudeCode:
            return [file(home + "/.claude.json", project: project), file(project + "/.mcp.json")]
        case .cursor:
            return [file(home + "/.cursor/mcp.json"), file(project + "/.cursor/mcp.json")]
        case .vscode:
            return [file(macOS ? appSupport + "/Code/User/mcp.json" : config + "/Code/User/mcp.json"),
                    file(project + "/.vscode/mcp.json")]
        case .windsurf:
            return [file(home + "/.codeium/windsurf/mcp_config.json")]
        case .zed:
            return [file(config + "/zed/settings.json"), file(project + "/.zed/settings.json")]
        case .codex:
            return [file(home + "/.codex/config.toml"), file(project + "/.codex/config.toml")]
        }
    }
}
