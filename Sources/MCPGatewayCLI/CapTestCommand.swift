// `cap test FILE|DIR`: builds the request of each example without sending it and compares it with the
// request the example documents; exit 1 when any file is broken or any example differs.

import ArgumentParser
import Foundation
import GatewayCapabilities

struct CapTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Check that each file's examples produce the requests they document (nothing is sent).")

    @Argument(help: "A capability file or a directory.")
    var path: String

    func run() async throws {
        var failed = 0
        var passed = 0
        var withoutExamples = 0
        for file in try CapCatalogLoading.files(at: path) {
            let result = CapabilityFileLoader.load(path: file)
            guard let definition = result.definition else {
                failed += 1
                for problem in result.errors { print(problem) }
                continue
            }
            if definition.examples.isEmpty {
                withoutExamples += 1
                print("- \(definition.name): no examples")
                continue
            }
            let problems = ExampleChecker.check(definition)
            if problems.isEmpty {
                passed += 1
                print("✓ \(definition.name): \(definition.examples.count) example\(definition.examples.count == 1 ? "" : "s")")
            } else {
                failed += 1
                for problem in problems { print(problem) }
            }
        }
        print("\(passed) passed, \(failed) failed" + (withoutExamples > 0 ? ", \(withoutExamples) skipped" : ""))
        if failed > 0 { throw ExitCode(1) }
    }
}
