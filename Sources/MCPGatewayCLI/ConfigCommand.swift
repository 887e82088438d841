// `mcp-gateway config validate [PATH]`: every problem at once, compiler style; exit 1 on errors.
// `config export` (ConfigExportCommand.swift) prints the effective configuration.

import ArgumentParser
import Foundation
import GatewayConfig

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration file.", subcommands: [Validate.self, Export.self])

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a configuration file and print every problem.")

        @Argument(help: "The file to check (default: the one serve would use).")
        var path: String?

        func run() async throws {
            let loaded = ConfigLoading.load(explicitPath: path)
            if let ignored = loaded.ignoredWorkingDirectoryFile {
                print("note: \(ignored) is not loaded unless named: mcp-gateway config validate \(ignored)")
            }
            for diagnostic in loaded.diagnostics { print(diagnostic) }
            if !loaded.errors.isEmpty {
                print("\(loaded.errors.count) error(s), \(loaded.warnings.count) warning(s)")
                throw ExitCode(1)
            }
            let source = loaded.source.path ?? "built-in default"
            let count = loaded.config?.backends.count ?? 0
            print("\(source): OK (\(count) backend\(count == 1 ? "" : "s"), \(loaded.warnings.count) warning(s))")
        }
    }
}
