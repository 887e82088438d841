// The pin file on disk, beside the catalog cache (same private directory, `pins-…json` for
// `catalog-…json`). The gateway and `mcp-gateway tools` both change it, so every change is a
// read-modify-write under an exclusive lock on a sibling `.lock` file, written to a 0600
// temporary file and renamed into place: a reader never sees half a file. A file that is
// unreadable, malformed, or not private to this user is reported as such and never
// overwritten: the operator decides what happens to it (nothing of it is trusted meanwhile).

import Foundation
import GatewayGovernance
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct PinFileStore: Sendable {
    public enum Loaded: Sendable, Equatable {
        case absent
        case ledger(PinLedger)
        /// Why the file cannot be used.
        case unreadable(String)
    }

    /// Identifies one version of the file, to notice another process's write cheaply.
    public struct Stamp: Sendable, Equatable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The pin file for a catalog cache file: same directory, `pins-` for `catalog-`.
    public static func path(forCatalogCache catalogPath: String) -> String {
        CatalogStore.siblingPath(of: catalogPath, prefix: "pins-")
    }

    var directory: String { (path as NSString).deletingLastPathComponent }

    public func load() -> Loaded {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .absent }
        if let problem = PrivateDirectory.problem(directory) {
            return .unreadable("its directory \(directory) is not private: \(problem)")
        }
        if let problem = PrivateDirectory.fileProblem(path) { return .unreadable(problem) }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("it cannot be read") }
        do {
            return .ledger(try PinLedgerCoding.decode(Array(data)))
        } catch {
            return .unreadable(error.description)
        }
    }

    public func stamp() -> Stamp? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified)
    }

    /// Runs `body` on the current file under the lock; a ledger it returns is written.
    /// Returns the body's result and the stamp of the file afterwards.
    public func update<T>(_ body: (Loaded) throws -> (write: PinLedger?, result: T)) throws -> (result: T, stamp: Stamp?) {
        if let problem = PrivateDirectory.prepare(directory) {
            throw WriteError(description: "cannot keep pins in \(directory): \(problem)")
        }
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else { throw WriteError(description: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw WriteError(description: "cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        defer { _ = flock(lock, LOCK_UN) }
        let outcome = try body(load())
        if let ledger = outcome.write { try writeFile(ledger) }
        return (outcome.result, stamp())
    }

    private func writeFile(_ ledger: PinLedger) throws {
        let bytes = PinLedgerCoding.encode(ledger)
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw WriteError(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return fsync(fd) == 0 }
            while written < buffer.count {
                let n = write(fd, base + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(description: "cannot write \(path): \(reason)")
        }
    }
}
