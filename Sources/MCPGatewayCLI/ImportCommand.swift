// `mcp-gateway import`: the MCP servers already configured in Claude Desktop, Claude Code, Cursor,
// VS Code, Windsurf or Zed (or a named file of theirs) as a gateway.yaml, secrets as ${VAR}
// references. Writes a new file with -o (never over an existing one), else prints it.

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
            Reads the standard config files of \(ClientKind.allCases.filter(\.readable).map(\.rawValue).joined(separator: ", ")) \
            (user-level, and the current project's .mcp.json, .cursor/mcp.json, .vscode/mcp.json, .zed/settings.json), \
            or the files named with --from. Secrets in env and headers become ${VAR} references; the variables \
            to set are listed at the top of the file. Codex's TOML is not read yet.
            """)

    @Option(name: .long, help: "A client (\(ClientKind.allCases.map(\.rawValue).joined(separator: ", "))) or a file; repeatable. Default: every client whose files exist.")
    var from: [String] = []

    @Option(name: .shortAndLong, help: "Write the configuration to this new file (it must not exist yet).")
    var output: String?

    @Flag(help: "Print what would be written and change nothing.")
    var dryRun = false

    @Flag(help: "Copy secrets into the file in clear instead of ${VAR} references.")
    var keepSecrets = false

    @Option(help: "The project folder whose project-level files are read (default: the current directory).")
    var project: String?

    /// Creates `path` (never replacing a file that appeared meanwhile) with `text`.
    static func writeNew(_ path: String, _ text: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw ValidationError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let cwd = FileManager.default.currentDirectoryPath
        let projectFolder = project.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: cwd)).standardizedFileURL.path } ?? cwd
        let home = environment["HOME"] ?? NSHomeDirectory()
        var files: [ClientFile] = []
        var explicit = false
        #if os(macOS)
        let macOS = true
        #else
        let macOS = false
        #endif
        let chosen: [String] = from.isEmpty ? ClientKind.allCases.filter(\.readable).map(\.rawValue) : from
        for choice in chosen {
            if let client = ClientKind(rawValue: choice) {
                guard client.readable else {
                    throw ValidationError("\(client.rawValue) keeps its servers in TOML (~/.codex/config.toml), which import does not read yet")
                }
                files += ClientLocations.files(of: client, home: home, project: projectFolder,
                                               xdgConfigHome: environment["XDG_CONFIG_HOME"], macOS: macOS)
            } else if FileManager.default.fileExists(atPath: choice) {
                files.append(ClientFile(client: .claudeCode, path: choice, project: nil))
                explicit = true
            } else {
                throw ValidationError("--from \(choice): neither a client (\(ClientKind.allCases.map(\.rawValue).joined(separator: ", "))) nor an existing file")
            }
        }
        if let output, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) exists: import writes a new file (merging into one is not supported yet)")
        }
        var servers: [ImportedServer] = []
        var notes: [String] = []
        var sources: [String] = []
        for file in files where FileManager.default.fileExists(atPath: file.path) {
            guard let data = FileManager.default.contents(atPath: file.path) else {
                notes.append("\(file.path): cannot be read")
                continue
            }
            do {
                let found = try ClientConfigReader.servers(in: String(decoding: data, as: UTF8.self), path: file.path,
                                                           project: file.project, notes: &notes)
                if !found.isEmpty || explicit { sources.append(file.path) }
                servers += found
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        if servers.isEmpty {
            FileHandle.standardError.write(Data("no MCP servers found in: \(files.map(\.path).joined(separator: ", "))\n".utf8))
            throw ExitCode(1)
        }
        let result = BackendsYAML.render(servers, keepSecrets: keepSecrets, workspaceFolder: projectFolder,
                                         sources: sources, notes: notes)
        for note in result.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        if let output, !dryRun {
            try Self.writeNew(output, result.yaml, mode: keepSecrets ? 0o600 : 0o644)
            print("wrote \(output): \(result.backendNames.count) backend(s): \(result.backendNames.joined(separator: ", "))")
            if !result.variables.isEmpty {
                print("set before starting: \(result.variables.map(\.name).joined(separator: ", "))")
            }
            print("check it with: mcp-gateway config validate \(output)")
        } else {
            print(result.yaml, terminator: "")
        }
    }
}
