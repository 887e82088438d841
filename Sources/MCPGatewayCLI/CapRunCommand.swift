// `cap run NAME --args JSON`: really calls one capability (with the config's ssrf_allow and the process
// environment's secrets) and prints the CallToolResult; exit 1 when it is an error.

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayCapabilities
import MCPProtocol

struct CapRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Call one capability and print its result.")

    @Argument(help: "The capability (tool) name.")
    var name: String

    @Option(help: "Arguments as a JSON object.")
    var args: String = "{}"

    @Option(name: [.short, .long], help: "Gateway configuration file.")
    var config: String?

    func run() async throws {
        guard case .object = (try? JSONParser.parse(args)) ?? .null else {
            throw ValidationError("--args must be a JSON object, e.g. '{\"latitude\": 52.5, \"longitude\": 13.4}'")
        }
        let catalog = try await CapCatalogLoading.catalog(configPath: config)
        let result = await catalog.call(tool: name, arguments: Array(args.utf8))
        let names = catalog.definitions.map(\.name)
        await catalog.stop()
        switch result {
        case .unknownTool:
            let hint = closestName(name, names).map { "; did you mean '\($0)'?" } ?? ""
            FileHandle.standardError.write(Data("error: no capability named '\(name)'\(hint)\n".utf8))
            throw ExitCode(1)
        case .result(let raw):
            print(raw.string)
            if (try? raw.parsed())?["isError"]?.boolValue == true { throw ExitCode(1) }
        }
    }

    private func closestName(_ name: String, _ names: [String]) -> String? {
        names.min { editDistance(name, $0) < editDistance(name, $1) }.flatMap { editDistance(name, $0) <= 3 ? $0 : nil }
    }
}
