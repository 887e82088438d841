// `mcp-gateway import`: the MCP servers already configured in Claude Desktop, Claude Code, Cursor,
// VS Code, Windsurf or Zed (or a named file of theirs) as a gateway.yaml, secrets as ${VAR}
// references. With -o it writes a new file or merges into an existing one (ImportMerge; --dry-run
// shows the diff), else prints it. --rewire switches a client over to the gateway and --restore
// switches it back (ImportRewiring).

import ArgumentParser
import Foundation
import GatewayImport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write the MCP servers your clients already use as a gateway.yaml.",
        discussion: """
            Reads the standard config files of \(ClientKind.allCases.map(\.rawValue).joined(separator: ", ")) \
            (user-level, and the current project's .mcp.json, .cursor/mcp.json, .vscode/mcp.json, .zed/settings.json, \
            .codex/config.toml), \
            or the files named with --from. Secrets in env and headers become ${VAR} references; the variables \
            to set are listed at the top of the file. -o FILE writes a new file or adds to an existing one \
            (servers it already has are skipped; --dry-run prints the diff). --rewire CLIENT then replaces that \
            client's servers with one entry running this gateway (`serve --stdio`), after backing its file up; \
            --restore CLIENT puts them back.
            """)

    @Option(name: .long, help: "A client (\(ClientKind.allCases.map(\.rawValue).joined(separator: ", "))) or a file; repeatable. Default: every client whose files exist.")
    var from: [String] = []

    @Option(name: .shortAndLong, help: "Write the configuration to this file: a new one, or one to add the servers to.")
    var output: String?

    @Flag(help: "Print what would be written (a diff for an existing file) and change nothing.")
    var dryRun = false

    @Flag(help: "Copy secrets into the file in clear instead of ${VAR} references.")
    var keepSecrets = false

    @Option(help: "The project folder whose project-level files are read (default: the current directory).")
    var project: String?

    @Option(help: ArgumentHelp("After importing, make CLIENT run the gateway instead of its own servers (its files are backed up first).", valueName: "client"))
    var rewire: String?

    @Option(help: ArgumentHelp("Undo --rewire: put CLIENT's servers back from its backup (nothing is imported).", valueName: "client"))
    var restore: String?

    @Option(help: "The gateway program a rewired client starts (default: this mcp-gateway).")
    var gatewayCommand: String?

    func run() async throws {
        if let restore {
            try ImportRewiring.restore(try ImportRewiring.client(restore, option: "--restore"), project: project, dryRun: dryRun)
            return
        }
        let rewireClient = try rewire.map { try ImportRewiring.client($0, option: "--rewire") }
        if rewireClient != nil, output == nil {
            throw ValidationError("--rewire needs -o FILE: the gateway.yaml the client will run (new, or one to merge into)")
        }
        // Switching one client over imports that client's servers, unless told otherwise.
        let sources = from.isEmpty ? rewireClient.map { [$0.rawValue] } ?? [] : from
        let found = try ImportSources.gather(from: sources, project: project)
        if found.servers.isEmpty {
            FileHandle.standardError.write(Data("no MCP servers found in: \(found.searched.joined(separator: ", "))\n".utf8))
            throw ExitCode(1)
        }
        guard let output else {
            let result = BackendsYAML.render(found.servers, keepSecrets: keepSecrets, workspaceFolder: found.project,
                                             sources: found.sources, notes: found.notes)
            for note in result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            print(result.yaml, terminator: "")
            return
        }
        let path = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: path) {
            try mergeInto(path)
        } else {
            try writeNew(path, found)
        }
        if let rewireClient {
            try ImportRewiring.rewire(rewireClient, files: found.files,
                                      launch: GatewayLaunch(program: ImportRewiring.program(gatewayCommand), configPath: path),
                                      dryRun: dryRun)
        }

        func mergeInto(_ path: String) throws {
            let merge = try ImportMerge.merge(into: path, found: found, keepSecrets: keepSecrets)
            for note in merge.result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            guard !merge.result.backendNames.isEmpty else {
                print("\(path) already has every server found: nothing to add")
                return
            }
            if dryRun {
                print(LineDiff.unified(old: try UserFiles.read(path), new: merge.text, oldName: path, newName: path + " (merged)"),
                      terminator: "")
                return
            }
            try UserFiles.replace(path, merge.text)
            report(path, merge.result)
        }

        func writeNew(_ path: String, _ found: ImportSources.Found) throws {
            let result = BackendsYAML.render(found.servers, keepSecrets: keepSecrets, workspaceFolder: found.project,
                                             sources: found.sources, notes: found.notes)
            for note in result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            if dryRun {
                print(result.yaml, terminator: "")
                return
            }
            try UserFiles.writeNew(path, result.yaml, mode: keepSecrets ? 0o600 : 0o644)
            report(path, result)
        }
    }

    private func report(_ path: String, _ result: ImportResult) {
        print("wrote \(path): \(result.backendNames.count) backend(s) added: \(result.backendNames.joined(separator: ", "))")
        if !result.variables.isEmpty {
            print("set before starting: \(result.variables.map(\.name).joined(separator: ", "))")
        }
        print("check it with: mcp-gateway config validate \(path)")
    }
}
