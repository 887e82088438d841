// `cap import SPEC --output DIR`: one capability file per operation of an OpenAPI 3.0/3.1 or Swagger 2.0
// spec (a file or an http(s) URL), a progress bar on stderr for large specs, and what was skipped and why.

import ArgumentParser
import Foundation
import GatewayCapabilities

struct CapImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Create capability files from an OpenAPI 3.0/3.1 or Swagger 2.0 spec.")

    @Argument(help: "The spec: a local file or an http(s) URL (JSON or YAML).")
    var spec: String

    @Option(name: [.short, .long], help: "Directory to write the capability files to.")
    var output: String

    @Option(name: [.short, .long], help: "Prefix of every tool name, e.g. petstore.")
    var prefix: String?

    @Option(help: "Where the API credential comes from, e.g. env:PETSTORE_TOKEN.")
    var authKey: String?

    @Option(help: "Base URL to call instead of the spec's servers (needed when they are relative or missing).")
    var baseURL: String?

    func validate() throws {
        if let authKey, !(authKey.hasPrefix("env:") || authKey.hasPrefix("file:")) {
            throw ValidationError("--auth-key must be env:NAME or file:PATH (a literal key would be written into the files)")
        }
        if let baseURL, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
            throw ValidationError("--base-url must be an http:// or https:// URL")
        }
    }

    func run() async throws {
        let bar = CapProgressBar(label: "importing")
        let result: OpenAPIImportResult
        do {
            result = try await OpenAPIImporter.importSpec(
                source: spec, options: OpenAPIImportOptions(prefix: prefix, authKey: authKey, baseURL: baseURL),
                progress: { done, total in bar.update(done: done, total: total) })
        } catch {
            bar.finish()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        bar.finish()
        let written = try OpenAPIImporter.write(result, to: output)
        print("\(result.title) (\(result.sourceVersion)): wrote \(written.count) capability file\(written.count == 1 ? "" : "s") to \(output)")
        if !result.skipped.isEmpty {
            print("skipped \(result.skipped.count) operation\(result.skipped.count == 1 ? "" : "s"):")
            for (reason, count) in result.skipSummary {
                let examples = result.skipped.filter { $0.reason == reason }.prefix(3).map { "\($0.method) \($0.path)" }
                let more = count > 3 ? ", …" : ""
                print("  \(count) × \(reason) (\(examples.joined(separator: ", "))\(more))")
            }
        }
        for note in result.notes { print("note: \(note)") }
        if written.isEmpty { throw ExitCode(1) }
    }
}
