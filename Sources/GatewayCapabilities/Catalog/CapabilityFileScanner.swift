// Lists the capability files of a directory tree with what identifies a version of each (modification
// time, size, inode), so the watcher can tell what changed without reading anything.

import Foundation
import GatewayConfig

enum CapabilityFileScanner {
    static let extensions = ["yaml", "yml"]

    /// Every `*.yaml`/`*.yml` under `directory` (hidden entries skipped), sorted, with signatures.
    static func scan(_ directory: String) -> [(path: String, signature: FileSignature)] {
        var files: [(path: String, signature: FileSignature)] = []
        walk(directory, depth: 0, into: &files)
        return files.sorted { $0.path < $1.path }
    }

    static func signature(of path: String) -> FileSignature? {
        FileSignature.of(path)
    }

    private static func walk(_ directory: String, depth: Int, into files: inout [(path: String, signature: FileSignature)]) {
        guard depth < 8, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                walk(path, depth: depth + 1, into: &files)
            } else if extensions.contains((name as NSString).pathExtension.lowercased()), let signature = signature(of: path) {
                files.append((path, signature))
            }
        }
    }
}
