// What identifies one version of a file without reading it (modification time, size, inode):
// the config reload, the capability watcher and the TLS reload poll files by comparing these.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct FileSignature: Sendable, Equatable {
    public let modified: Int64
    public let modifiedNanoseconds: Int64
    public let size: Int64
    public let inode: UInt64

    /// The signature of the file `path` leads to (symbolic links followed: a renewal often
    /// swaps a link and leaves the path in the config as it was); nil when it cannot be read.
    public static func of(_ path: String) -> FileSignature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Glibc)
        let seconds = Int64(info.st_mtim.tv_sec)
        let nanoseconds = Int64(info.st_mtim.tv_nsec)
        #else
        let seconds = Int64(info.st_mtimespec.tv_sec)
        let nanoseconds = Int64(info.st_mtimespec.tv_nsec)
        #endif
        return FileSignature(modified: seconds, modifiedNanoseconds: nanoseconds, size: Int64(info.st_size), inode: UInt64(info.st_ino))
    }
}
