// Finds and reads the client configuration files `import` and `init` take servers from: the
// standard files of every readable client (or those named with --from), user-level and the
// project's, skipping those that do not exist.

import ArgumentParser
import Foundation
import GatewayImport

enum ImportSources {
    struct Found {
        var servers: [ImportedServer] = []
        var notes: [String] = []
        /// Files servers came from (and named files even when empty).
        var sources: [String] = []
        /// Every file looked at.
        var searched: [String] = []
        /// The client files servers came from (what `--rewire` edits).
        var files: [ClientFile] = []
        var project: String
    }

    /// The folder whose project-level files are read: `project`, else the current directory.
    static func projectFolder(_ project: String?) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        return project.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path } ?? cwd
    }

    /// The standard files of `client` (user-level, then the project's), existing or not.
    static func clientFiles(_ client: ClientKind, project: String?) throws -> [ClientFile] {
        let environment = ProcessInfo.processInfo.environment
        #if os(macOS)
        let macOS = true
        #else
        let macOS = false
        #endif
        return ClientLocations.files(of: client, home: environment["HOME"] ?? NSHomeDirectory(), project: projectFolder(project),
                                     xdgConfigHome: environment["XDG_CONFIG_HOME"], macOS: macOS)
    }

    static func gather(from: [String], project: String?) throws -> Found {
        let projectFolder = projectFolder(project)
        var files: [(file: ClientFile, explicit: Bool)] = []
        for choice in from.isEmpty ? ClientKind.allCases.map(\.rawValue) : from {
            if let client = ClientKind(rawValue: choice) {
                files += try clientFiles(client, project: project).map { ($0, false) }
            } else if FileManager.default.fileExists(atPath: choice) {
                files.append((ClientFile(client: choice.hasSuffix(".toml") ? .codex : .claudeCode, path: choice), true))
            } else {
                throw ValidationError("--from \(choice): neither a client (\(ClientKind.allCases.map(\.rawValue).joined(separator: ", "))) nor an existing file")
            }
        }
        var found = Found(project: projectFolder)
        for (file, explicit) in files {
            found.searched.append(file.path)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                found.notes.append("\(file.path): cannot be read")
                continue
            }
            do {
                let text = String(decoding: data, as: UTF8.self)
                let servers = file.client == .codex
                    ? try CodexConfigReader.servers(in: text, path: file.path, notes: &found.notes)
                    : try ClientConfigReader.servers(in: text, path: file.path, project: file.project, notes: &found.notes)
                if !servers.isEmpty || explicit { found.sources.append(file.path) }
                if !servers.isEmpty, !explicit { found.files.append(file) }
                found.servers += servers
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        return found
    }
}
