// The `capabilities:` section: REST/GraphQL API operations described by YAML files, served as tools
// under one server name. Directory paths are resolved here, so every reader sees absolute paths.
// What secrets a capability may read is decided here, by the operator, never by the capability file:
// each directory lists the environment variables and files its files may use.

/// One directory of capability files and the secrets its files may read.
public struct CapabilityDirectory: Sendable, Equatable {
    /// Absolute after loading.
    public var path: String
    /// Environment variables the files may name (`env:NAME`, `{env.NAME}`); any other is a load error.
    public var allowEnv: [String]
    /// Files the files may name with `file:PATH` (absolute after loading); a path ending in `/` allows
    /// every file under that directory. Any other is a load error.
    public var allowFiles: [String]

    public init(path: String, allowEnv: [String] = [], allowFiles: [String] = []) {
        self.path = path
        self.allowEnv = allowEnv
        self.allowFiles = allowFiles
    }
}

/// Where capability files are found and the server name their tools appear under.
public struct CapabilitiesSettings: Sendable, Equatable {
    public var enabled: Bool
    /// The server name the capability tools are listed under (like a backend name).
    public var name: String
    /// Directories of capability files. Nothing is loaded from the working directory unless listed here:
    /// a `./capabilities` found wherever the gateway was started could read its secrets.
    public var directories: [CapabilityDirectory]
    /// Whether the capability files shipped with the gateway are loaded too.
    public var starterPack: Bool
    /// Environment variables the starter pack may read (e.g. `GITHUB_TOKEN`); its tools that need any
    /// other are left out, so a token in the environment is never sent unless configured on purpose.
    public var starterPackAllowEnv: [String]

    public static let defaultName = "capabilities"

    public init(enabled: Bool = true, name: String = CapabilitiesSettings.defaultName,
                directories: [CapabilityDirectory] = [], starterPack: Bool = true, starterPackAllowEnv: [String] = []) {
        self.enabled = enabled
        self.name = name
        self.directories = directories
        self.starterPack = starterPack
        self.starterPackAllowEnv = starterPackAllowEnv
    }
}
