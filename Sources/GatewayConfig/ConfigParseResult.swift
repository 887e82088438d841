// What parsing one YAML text yields: a config when there were no errors, and every diagnostic found.

/// The outcome of `ConfigLoader.parse`: `config` is nil whenever `diagnostics` holds an error.
public struct ConfigParseResult: Sendable, Equatable {
    public var config: GatewayConfig?
    /// Errors and warnings in file order.
    public var diagnostics: [ConfigDiagnostic]

    public init(config: GatewayConfig?, diagnostics: [ConfigDiagnostic]) {
        self.config = config
        self.diagnostics = diagnostics
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}
