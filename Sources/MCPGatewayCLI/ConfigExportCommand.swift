// `mcp-gateway config export [PATH] [--format yaml|json] [--with-secrets]`: the effective
// configuration (defaults filled in, variables expanded, paths resolved) as a complete
// gateway.yaml or the same tree as JSON, secrets masked unless asked for. stdout carries the
// configuration only: diagnostics go to stderr, and a config with errors prints nothing there.

import ArgumentParser
import Foundation
import GatewayConfig

extension ConfigCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Print the effective configuration: every key with the value in force, secrets masked.")

        @Argument(help: "The file to export (default: the one serve would use).")
        var path: String?

        @Option(help: "yaml (a complete gateway.yaml) or json (the same tree).")
        var format = "yaml"

        @Flag(help: "Show secrets (backend env and headers values, API keys, the bearer token, OTLP headers) instead of <masked>.")
        var withSecrets = false

        func validate() throws {
            guard ConfigExport.Format(rawValue: format.lowercased()) != nil else {
                throw ValidationError("--format must be yaml or json")
            }
        }

        func run() async throws {
            let loaded = ConfigLoading.load(explicitPath: path)
            if let ignored = loaded.ignoredWorkingDirectoryFile {
                standardError("note: \(ignored) is not loaded unless named: mcp-gateway config export \(ignored)")
            }
            for diagnostic in loaded.diagnostics { standardError("\(diagnostic)") }
            guard let config = loaded.config, loaded.errors.isEmpty else {
                standardError("\(loaded.errors.count) error(s), \(loaded.warnings.count) warning(s)")
                throw ExitCode(1)
            }
            let chosen = ConfigExport.Format(rawValue: format.lowercased()) ?? .yaml
            print(ConfigExport.render(config, format: chosen, withSecrets: withSecrets), terminator: "")
        }

        private func standardError(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
