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
        if let output, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) exists: import writes a new file (merging into one is not supported yet)")
        }
        let found = try ImportSources.gather(from: from, project: project)
        if found.servers.isEmpty {
            FileHandle.standardError.write(Data("no MCP servers found in: \(found.searched.joined(separator: ", "))\n".utf8))
            throw ExitCode(1)
        }
        let result = BackendsYAML.render(found.servers, keepSecrets: keepSecrets, workspaceFolder: found.project,
                                         sources: found.sources, notes: found.notes)
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
