// Replaces a file in a private directory atomically: the bytes go to a new file beside it (mode
// 0600, created exclusively, never through a symbolic link), then it is renamed over the old one,
// so a crashed process leaves the old file or the new one, never half of either. Shared by the
// catalog cache, the search vectors and the budget ledger. No fsync: these are caches and a
// ledger saved again on every change, and the saves run on the cooperative thread pool, where a
// sync waiting on a busy disk would hold one of this machine's two threads.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum PrivateFileWriter {
    /// Nil when `path` now holds `bytes`, else why not (the old file is then unchanged).
    static func replace(_ path: String, with bytes: [UInt8]) -> String? {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        var written = 0
        var failure: String?
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + written, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            written += count
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if failure != nil { unlink(temporary) }
        return failure
    }
}
