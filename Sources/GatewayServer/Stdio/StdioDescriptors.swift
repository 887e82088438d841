// Which of the stdio front end's descriptors NIO can drive. NIO's pipe channels need a
// descriptor that epoll accepts: stdout on /dev/null (a character device epoll refuses with
// EPERM) crashed the gateway, and stdout redirected to a file made it fail to start. Those are
// served with blocking reads and writes on a thread of their own instead.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum StdioDescriptors {
    /// Whether the event loop can wait on `fd`: a pipe, a socket or a terminal, not a regular
    /// file, a directory or a device like /dev/null.
    static func isPollable(_ fd: CInt) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        switch info.st_mode & S_IFMT {
        case S_IFIFO, S_IFSOCK: return true
        // Of character devices only a terminal can be polled: /dev/null, /dev/zero and their
        // like have no poll operation, and epoll refuses them.
        case S_IFCHR: return isatty(fd) == 1
        default: return false
        }
    }
}
