// Writing the user's own files (a gateway.yaml import merges into, a client's settings that
// `--rewire` edits, their backups): a new file is created exclusively (never replacing one that
// appeared meanwhile); a changed one is replaced atomically with its mode kept (the bytes go to
// a file beside it, synced, then renamed over it), through a symbolic link to its target, so a
// crash leaves the old file or the new one, never half of either.

import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum UserFiles {
    /// Creates `path`, which must not exist, holding `text`.
    static func writeNew(_ path: String, _ text: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw ValidationError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        try writeAll(descriptor, Array(text.utf8), path: path)
        _ = fsync(descriptor)
    }

    /// Replaces the file at `path` (following a symbolic link) with `text`, keeping its mode.
    static func replace(_ path: String, _ text: String) throws {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { link in
            link.hasPrefix("/") ? link : (path as NSString).deletingLastPathComponent + "/" + link
        } ?? path
        var status = stat()
        guard stat(target, &status) == 0 else { throw ValidationError("cannot read \(target): \(String(cString: strerror(errno)))") }
        let temporary = target + ".mcp-gateway-\(getpid()).tmp"
        unlink(temporary)
        try writeNew(temporary, text, mode: status.st_mode & 0o7777)
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ValidationError("cannot replace \(target): \(reason)")
        }
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The permission bits of `path` (0o600 when it cannot be read: the safe guess for a backup).
    static func mode(of path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0o600
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
    }
}
