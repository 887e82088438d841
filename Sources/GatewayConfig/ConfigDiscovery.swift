// Where the gateway looks for gateway.yaml, in order: --config, $MCP_GATEWAY_CONFIG,
// ~/.config/mcp-gateway/gateway.yaml, /etc/mcp-gateway/gateway.yaml; otherwise the built-in default.
// Not the working directory: a config names commands the gateway starts, so a gateway.yaml in
// whatever directory a client launches the gateway from (a cloned repository, say) would run
// that directory's commands. A ./gateway.yaml is used only when named with --config.

/// The search list of config files.
public enum ConfigDiscovery {
    public static let environmentVariable = "MCP_GATEWAY_CONFIG"
    public static let fileName = "gateway.yaml"
    public static let systemDirectory = "/etc/mcp-gateway"

    /// The files looked for when neither --config nor $MCP_GATEWAY_CONFIG names one, in order.
    public static func searchList(
        currentDirectory: String, homeDirectory: String, systemDirectory: String = ConfigDiscovery.systemDirectory
    ) -> [String] {
        [
            joinedPath(joinedPath(homeDirectory, ".config/mcp-gateway"), fileName),
            joinedPath(systemDirectory, fileName),
        ]
    }

    /// The working directory's gateway.yaml: never loaded unless named, only pointed out.
    public static func workingDirectoryFile(currentDirectory: String) -> String {
        joinedPath(currentDirectory, fileName)
    }

    /// `path` made absolute: `~/` is the home directory and a relative path starts at `currentDirectory`.
    public static func resolve(_ path: String, currentDirectory: String, homeDirectory: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return joinedPath(homeDirectory, String(path.dropFirst(2))) }
        if path.hasPrefix("/") { return path }
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return joinedPath(currentDirectory, relative)
    }

    static func joinedPath(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
