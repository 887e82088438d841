// `mcp-gateway init`: writes a commented starter gateway.yaml where `serve` looks first
// (~/.config/mcp-gateway/gateway.yaml), with the servers `import` finds in the user's clients as
// its backends (secrets as ${VAR} references), or examples when there are none. Never replaces
// a file.

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayImport

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter gateway.yaml with the MCP servers your clients already use.")

    @Option(name: .shortAndLong, help: "Where to write it (default: ~/.config/mcp-gateway/gateway.yaml, where serve looks).")
    var output: String?

    @Flag(help: "Do not import your clients' servers: write the examples.")
    var noImport = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let path = output ?? configHome + "/mcp-gateway/gateway.yaml"
        if FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path) exists: init never replaces a configuration (check it with: mcp-gateway config validate \(path))")
        }
        var backends: String?
        var sources: [String] = []
        var variables: [String] = []
        if !noImport {
            let found = try ImportSources.gather(from: [], project: nil)
            if !found.servers.isEmpty {
                let result = BackendsYAML.render(found.servers, keepSecrets: false, workspaceFolder: found.project,
                                                 sources: found.sources, notes: found.notes)
                for note in result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
                backends = result.yaml
                sources = found.sources
                variables = result.variables.map(\.name)
            }
        }
        let text = InitTemplate.text(backends: backends, sources: sources)
        // What is written must load: checked with every variable it names set to a placeholder.
        var placeholders = environment
        for name in variables where placeholders[name] == nil { placeholders[name] = "placeholder-value-for-check" }
        let check = ConfigLoader.parse(yaml: text, file: path, environment: placeholders)
        guard check.errors.isEmpty else {
            for error in check.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            throw ValidationError("the starter configuration does not load (a bug): nothing written")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try UserFiles.writeNew(path, text, mode: 0o644)
        print("wrote \(path)" + (sources.isEmpty ? " (examples: no client configuration found)" : " with the servers of \(sources.joined(separator: ", "))"))
        if !variables.isEmpty { print("set before starting: \(variables.joined(separator: ", "))") }
        print("start it with: mcp-gateway")
    }
}
