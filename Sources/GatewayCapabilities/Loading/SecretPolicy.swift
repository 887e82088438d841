// What secrets the files of one capability directory may read, from the operator's config: a listed
// set of environment variables and files. A file naming anything else does not load; the error names
// the file, the line and the variable or path, and says where to allow it. Files outside the config
// (a directory dropped in later, a shared pack) therefore cannot read the gateway's environment.

import Foundation
import GatewayConfig

public struct SecretPolicy: Sendable, Equatable {
    public var allowedEnvironment: Set<String>
    /// Absolute paths; one ending in `/` allows every file under it.
    public var allowedFiles: [String]
    /// Where to allow more, for messages: `capabilities.directories[].allow_env`, …
    public var configKey: String
    /// `~` in a capability's `file:` path is this directory (the environment's HOME at load).
    public var homeDirectory: String?

    public init(allowedEnvironment: Set<String> = [], allowedFiles: [String] = [],
                configKey: String = "capabilities.directories[]", homeDirectory: String? = nil) {
        self.allowedEnvironment = allowedEnvironment
        self.allowedFiles = allowedFiles.map(Self.normalized)
        self.configKey = configKey
        self.homeDirectory = homeDirectory
    }

    public init(_ directory: CapabilityDirectory, homeDirectory: String?) {
        self.init(allowedEnvironment: Set(directory.allowEnv), allowedFiles: directory.allowFiles,
                  configKey: "allow_env / allow_files of '\(directory.path)' in capabilities.directories",
                  homeDirectory: homeDirectory)
    }

    /// An error per secret of `result` that is not allowed.
    func problems(_ result: CapabilityLoadResult, path: String) -> [CapabilityProblem] {
        result.secretReferences.compactMap { reference in
            guard let message = refusal(reference.kind) else { return nil }
            return CapabilityProblem(path: path, line: reference.line, column: reference.column,
                                     keyPath: reference.keyPath, message: message)
        }
    }

    /// `result` with the refused secrets as errors and no definition, or unchanged when all are allowed.
    func apply(to result: CapabilityLoadResult, path: String) -> CapabilityLoadResult {
        let refused = problems(result, path: path)
        guard !refused.isEmpty else { return result }
        var checked = result
        checked.definition = nil
        checked.problems = (result.problems + refused).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return checked
    }

    private func refusal(_ kind: SecretReference.Kind) -> String? {
        switch kind {
        case .environment(let name):
            guard !allowedEnvironment.contains(name) else { return nil }
            return "reads environment variable '\(name)', which the gateway config does not allow for this file: list it in \(configKey)"
        case .file(let written):
            let resolved = Self.normalized(expandingHome(written))
            let allowed = allowedFiles.contains { entry in
                entry.hasSuffix("/") ? resolved.hasPrefix(entry) : resolved == entry
            }
            guard !allowed else { return nil }
            return "reads file '\(written)', which the gateway config does not allow for this file: list it in \(configKey)"
        }
    }

    private func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        // With no home directory known, `~` stays and cannot match an absolute allowed path.
        guard let homeDirectory, !homeDirectory.isEmpty else { return path }
        return homeDirectory + path.dropFirst()
    }

    /// `.` and `..` resolved by text, repeated slashes joined; a trailing `/` is kept. No symlink is
    /// followed: the check is on the path the file names, the same the resolver opens.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        let joined = (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
        return path.hasSuffix("/") && !joined.hasSuffix("/") ? joined + "/" : joined
    }
}
