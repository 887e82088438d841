// The files of a trail, oldest first: `path.N` … `path.1`, then `path` (those that exist), and
// their lines read in chunks, so a query over a few hundred MiB never holds a whole file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum AuditFiles {
    /// Every rotated file that exists (numbered without gaps from 1), then the current one.
    public static func paths(of path: String) -> [String] {
        var rotated: [String] = []
        var index = 1
        while exists("\(path).\(index)") {
            rotated.append("\(path).\(index)")
            index += 1
        }
        return rotated.reversed() + (exists(path) ? [path] : [])
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Calls `body` with each complete line of the file at `path` (without its newline), from
    /// byte `offset`; returns the offset after the last complete line, or nil if it cannot be read.
    @discardableResult
    public static func forEachLine(in path: String, from offset: Int = 0, _ body: ([UInt8]) -> Void) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard offset == 0 || lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else { return nil }
        var position = offset
        var lineEnd = offset
        var carry: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                if carry.isEmpty {
                    body(Array(chunk[start..<index]))
                } else {
                    carry.append(contentsOf: chunk[start..<index])
                    body(carry)
                    carry.removeAll(keepingCapacity: true)
                }
                start = index + 1
                lineEnd = position + start
            }
            carry.append(contentsOf: chunk[start..<count])
            position += count
        }
        return lineEnd
    }

    /// The size of the file at `path` and its inode (to notice rotation), nil if absent.
    public static func identity(of path: String) -> (size: Int, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), UInt64(info.st_ino))
    }
}
