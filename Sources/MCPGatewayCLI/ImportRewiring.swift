// `import --rewire CLIENT` and `import --restore CLIENT` on the client's files: each file whose
// servers were imported is backed up beside itself (FILE.mcp-gateway-backup, created exclusively:
// a second rewire never overwrites the true original) and its server sections replaced by the
// gateway (ClientRewire); a restore puts the sections back from the backup and removes it.

import ArgumentParser
import Foundation
import GatewayImport

enum ImportRewiring {
    static let backupSuffix = ".mcp-gateway-backup"

    static func client(_ name: String, option: String) throws -> ClientKind {
        guard let client = ClientKind(rawValue: name) else {
            throw ValidationError("\(option) \(name): not a client (\(ClientKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return client
    }

    /// The program a rewired client starts: `explicit`, else this executable, as an absolute path
    /// (a client does not start it from our working directory, nor with our PATH).
    static func program(_ explicit: String?) -> String {
        if let explicit { return explicit }
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        if own != "/proc/self/exe", FileManager.default.isExecutableFile(atPath: own) { return own }
        return absolute(CommandLine.arguments.first ?? "mcp-gateway", path: ProcessInfo.processInfo.environment["PATH"] ?? "",
                        cwd: FileManager.default.currentDirectoryPath)
    }

    /// Where `argument` (argv[0]) runs from: a path with a slash taken from `cwd`, a bare name
    /// found on `path` as the shell found it.
    static func absolute(_ argument: String, path: String, cwd: String,
                         isExecutable: (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }) -> String {
        if argument.contains("/") {
            return URL(fileURLWithPath: argument, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path
        }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory), relativeTo: URL(fileURLWithPath: cwd, isDirectory: true))
                .appendingPathComponent(argument).standardizedFileURL.path
            if isExecutable(candidate) { return candidate }
        }
        return argument
    }

    static func rewire(_ client: ClientKind, files: [ClientFile], launch: GatewayLaunch, dryRun: Bool) throws {
        let mine = files.filter { $0.client == client }
        guard !mine.isEmpty else { throw ValidationError("--rewire \(client.rawValue): no servers of \(client.rawValue) were found to replace") }
        for file in mine {
            let backup = file.path + backupSuffix
            if FileManager.default.fileExists(atPath: backup) {
                throw ValidationError("\(backup) exists: \(file.path) was rewired before; undo that first with `mcp-gateway import --restore \(client.rawValue)`")
            }
            let original = try UserFiles.read(file.path)
            let rewired: (text: String, replaced: [String])
            do {
                rewired = client == .codex
                    ? try CodexRewire.rewire(original, path: file.path, launch: launch)
                    : try ClientRewire.rewire(original, path: file.path, client: client, project: file.project, launch: launch)
            } catch {
                throw ValidationError("\(error)")
            }
            if dryRun {
                print(LineDiff.unified(old: original, new: rewired.text, oldName: file.path, newName: file.path + " (rewired)"), terminator: "")
                continue
            }
            try UserFiles.writeNew(backup, original, mode: UserFiles.mode(of: file.path))
            try UserFiles.replace(file.path, rewired.text)
            print("rewired \(file.path): \(rewired.replaced.joined(separator: ", ")) replaced by '\(ClientRewire.entryName)'; backup: \(backup)")
        }
        if !dryRun { print("restart \(client.rawValue) to use the gateway; undo with: mcp-gateway import --restore \(client.rawValue)") }
    }

    static func restore(_ client: ClientKind, project: String?, dryRun: Bool) throws {
        let files = try ImportSources.clientFiles(client, project: project)
        var restored = 0
        for file in files {
            let backup = file.path + backupSuffix
            guard FileManager.default.fileExists(atPath: backup) else { continue }
            let current = try UserFiles.read(file.path)
            let result: (text: String, notes: [String])
            do {
                let saved = try UserFiles.read(backup)
                result = client == .codex
                    ? try CodexRewire.restore(current: current, backup: saved, path: file.path)
                    : try ClientRewire.restore(current: current, backup: saved, path: file.path, client: client, project: file.project)
            } catch {
                throw ValidationError("\(error)")
            }
            for note in result.notes { FileHandle.standardError.write(Data("note: \(file.path): \(note)\n".utf8)) }
            if dryRun {
                print(LineDiff.unified(old: current, new: result.text, oldName: file.path, newName: file.path + " (restored)"), terminator: "")
            } else {
                try UserFiles.replace(file.path, result.text)
                try FileManager.default.removeItem(atPath: backup)
                print("restored \(file.path) from \(backup) (backup removed)")
            }
            restored += 1
        }
        guard restored > 0 else {
            throw ValidationError("--restore \(client.rawValue): no backup found (\(files.map { $0.path + backupSuffix }.joined(separator: ", ")))")
        }
    }
}
