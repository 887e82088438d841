// `cap validate [DIR|FILE]`: every problem of every capability file, compiler style; exit 1 on errors.
// Without a path it checks what the gateway would load (the starter pack and the configured directories,
// with their secret allow-lists); with one, each secret a file reads is listed as a warning.

import ArgumentParser
import Foundation
import GatewayCapabilities

struct CapValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check capability files and print every problem.")

    @Argument(help: "A capability file or a directory (default: what the gateway would load).")
    var path: String?

    @Option(name: [.short, .long], help: "Gateway configuration file (for the default directories).")
    var config: String?

    func run() async throws {
        var problems: [CapabilityProblem] = []
        var count = 0
        if let path {
            var names: [String: String] = [:]
            for file in try CapCatalogLoading.files(at: path) {
                let result = CapabilityFileLoader.load(path: file)
                problems += result.problems
                // A file given by path is checked without the config's allow-lists: say what it would read.
                problems += result.secretReferences.map { reference in
                    CapabilityProblem(severity: .warning, path: file, line: reference.line, column: reference.column,
                                      keyPath: reference.keyPath, message: reference.allowListNote)
                }
                guard let definition = result.definition else { continue }
                count += 1
                if let first = names[definition.name] {
                    problems.append(CapabilityProblem(path: file, line: definition.sourceLine,
                                                      message: "duplicate capability name '\(definition.name)' (also in \(first))"))
                }
                names[definition.name] = file
            }
        } else {
            let catalog = try await CapCatalogLoading.catalog(configPath: config)
            problems = catalog.problems
            count = catalog.definitions.count
            await catalog.stop()
        }
        for problem in problems { print(problem) }
        let errors = problems.filter(\.isError).count
        print("\(count) capabilit\(count == 1 ? "y" : "ies") OK, \(errors) error(s), \(problems.count - errors) warning(s)")
        if errors > 0 { throw ExitCode(1) }
    }
}
