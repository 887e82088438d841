// `cap list [--json]`: the capability catalog the gateway would serve: names and descriptions, or with
// --json the MCP tool objects (schema, annotations, tags) with the file each came from.

import ArgumentParser
import Foundation
import GatewayCapabilities
import MCPProtocol

struct CapListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the capability catalog.")

    @Flag(help: "Print the catalog as JSON.")
    var json = false

    @Option(name: [.short, .long], help: "Gateway configuration file.")
    var config: String?

    func run() async throws {
        let catalog = try await CapCatalogLoading.catalog(configPath: config)
        let definitions = catalog.definitions
        let problems = catalog.problems
        await catalog.stop()
        if json {
            var tools: [JSONValue] = []
            for definition in definitions {
                guard var object = (try? definition.toolDefinition.raw.parsed())?.objectValue else { continue }
                object["source"] = .string(definition.sourcePath)
                tools.append(.object(object))
            }
            let document: JSONValue = [
                "server": .string(catalog.serverName), "tools": .array(tools),
                "problems": .array(problems.map { .string($0.description) }),
            ]
            print(JSONWriter.encodeString(document))
            return
        }
        let width = min(40, definitions.map(\.name.count).max() ?? 0)
        for definition in definitions {
            let summary = definition.description.split(separator: "\n").first.map(String.init) ?? ""
            print(definition.name.padding(toLength: max(width, definition.name.count), withPad: " ", startingAt: 0) + "  " + summary)
        }
        print("\(definitions.count) capabilities under server '\(catalog.serverName)'" + (problems.isEmpty ? "" : "; \(problems.count) problem(s), see `cap validate`"))
    }
}
