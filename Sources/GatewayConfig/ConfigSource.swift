// Where a loaded configuration came from, so the CLI can say which file is in use (or that none was found).

/// The origin of a configuration chosen by `ConfigLoader.load`.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    /// The path given with `--config`.
    case explicitPath(String)
    /// The path in `$MCP_GATEWAY_CONFIG`.
    case environmentVariable(String)
    /// The first existing file of the standard search list.
    case discovered(String)
    /// No file was found; `GatewayConfig.builtinDefault` is in use.
    case builtinDefault

    /// The file read, nil for the built-in default.
    public var path: String? {
        switch self {
        case .explicitPath(let path), .environmentVariable(let path), .discovered(let path):
            return path
        case .builtinDefault:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .explicitPath(let path): return "\(path) (from --config)"
        case .environmentVariable(let path): return "\(path) (from $\(ConfigDiscovery.environmentVariable))"
        case .discovered(let path): return path
        case .builtinDefault: return "built-in default config"
        }
    }
}
