// What loading the configuration yields: which source was used, the config (nil on error) and its diagnostics.

/// The outcome of `ConfigLoader.load`.
public struct ConfigLoadResult: Sendable, Equatable {
    public var source: ConfigSource
    /// Nil whenever `diagnostics` holds an error.
    public var config: GatewayConfig?
    public var diagnostics: [ConfigDiagnostic]
    /// Files looked for, in order, up to and including the one used; lets the CLI say where a file could go.
    public var searchedPaths: [String]
    /// A gateway.yaml in the working directory that was not loaded (it is used only when named
    /// with --config): the CLI points it out.
    public var ignoredWorkingDirectoryFile: String?

    public init(source: ConfigSource, config: GatewayConfig?, diagnostics: [ConfigDiagnostic], searchedPaths: [String]) {
        self.source = source
        self.config = config
        self.diagnostics = diagnostics
        self.searchedPaths = searchedPaths
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}
