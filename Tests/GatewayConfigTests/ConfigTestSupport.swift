// Shorthands shared by the config tests: parse a YAML string with a given environment and pick out diagnostics.

@testable import GatewayConfig

func parse(_ yaml: String, environment: [String: String] = [:]) -> ConfigParseResult {
    ConfigLoader.parse(yaml: yaml, file: "gateway.yaml", environment: environment)
}

extension ConfigParseResult {
    var errorMessages: [String] { errors.map(\.message) }
    var warningMessages: [String] { warnings.map(\.message) }

    /// The only error, or nil when there are none or several.
    var singleError: ConfigDiagnostic? { errors.count == 1 ? errors[0] : nil }

    func error(at path: String) -> ConfigDiagnostic? { errors.first { $0.path == path } }
}
