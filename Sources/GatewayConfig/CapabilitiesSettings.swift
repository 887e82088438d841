// The `capabilities:` section: REST/GraphQL API operations described by YAML files, served as tools
// under one server name. Directory paths are resolved here, so every reader sees absolute paths.

/// Where capability files are found and the server name their tools appear under.
public struct CapabilitiesSettings: Sendable, Equatable {
    public var enabled: Bool
    /// The server name the capability tools are listed under (like a backend name).
    public var name: String
    /// Directories of capability files, as configured (absolute after loading); nil means the default,
    /// `./capabilities` of the working directory if it exists.
    public var directories: [String]?
    /// Whether the capability files shipped with the gateway are loaded too.
    public var starterPack: Bool

    public static let defaultName = "capabilities"

    public init(enabled: Bool = true, name: String = CapabilitiesSettings.defaultName,
                directories: [String]? = nil, starterPack: Bool = true) {
        self.enabled = enabled
        self.name = name
        self.directories = directories
        self.starterPack = starterPack
    }
}
