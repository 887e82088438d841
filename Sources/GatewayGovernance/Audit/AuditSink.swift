// Where the writer puts lines: a file rotated by size (`path` → `path.1` … `path.keep`, the
// oldest deleted), created 0600, or stdout/stderr. Used by the trail's writer thread only.
// A line is never split across files: a file is rotated before a line would take it past
// `max_size` (a single line larger than that gets a file of its own).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayConfig

final class AuditSink {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    let destination: AuditSettings.Destination
    let maxSize: Int
    let keep: Int
    private var descriptor: Int32 = -1
    /// Bytes in the open file.
    private var size = 0
    private var pending: [UInt8] = []
    private var pendingLines = 0
    /// Lines written, and lines lost to write errors, since the sink was made.
    private(set) var linesWritten = 0
    private(set) var linesLost = 0
    /// The last write error.
    private(set) var lastError: String?

    init(settings: AuditSettings) {
        destination = settings.destination
        maxSize = settings.maxSize
        keep = settings.keep
    }

    deinit { close() }

    /// Adds one line (newline included), rotating first if it would not fit.
    func append(_ line: [UInt8]) {
        guard case .file = destination else {
            pending.append(contentsOf: line)
            pendingLines += 1
            return
        }
        // Opened here, not at the first write: an existing file's size counts toward max_size.
        // If it cannot be opened, `flush` reports why.
        _ = try? openDescriptor()
        if size + pending.count > 0, size + pending.count + line.count > maxSize {
            flush()
            do {
                try rotate()
            } catch {
                // Keep writing to the file as it is: a trail that outgrows max_size beats one that stops.
                lastError = error.description
            }
        }
        pending.append(contentsOf: line)
        pendingLines += 1
    }

    /// Writes what `append` gathered; on an error those lines are counted lost and the file is
    /// opened again for the next ones.
    func flush() {
        guard !pending.isEmpty else { return }
        defer {
            pending.removeAll(keepingCapacity: pending.count <= 1 << 20)
            pendingLines = 0
        }
        do {
            try writePending()
            linesWritten += pendingLines
        } catch {
            lastError = error.description
            linesLost += pendingLines
            closeFile()
        }
    }

    private func writePending() throws(WriteError) {
        let fd = try openDescriptor()
        var offset = 0
        while offset < pending.count {
            let written = pending.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                size += offset
                throw WriteError(description: "writing \(destination.description): \(Self.describe(errno))")
            }
            offset += written
        }
        size += offset
    }

    func close() {
        flush()
        closeFile()
    }

    /// Before each batch: a file renamed or removed by someone else (logrotate, an operator) is
    /// let go, so the batch goes to a new file at `path` rather than to the moved one.
    func reopenIfMoved() {
        guard descriptor >= 0, case .file(let path) = destination else { return }
        var open = stat()
        var named = stat()
        if fstat(descriptor, &open) != 0 || stat(path, &named) != 0 || open.st_ino != named.st_ino || open.st_dev != named.st_dev {
            closeFile()
        }
    }

    private func closeFile() {
        if descriptor >= 0, case .file = destination { _ = Glibc_close(descriptor) }
        descriptor = -1
    }

    private func openDescriptor() throws(WriteError) -> Int32 {
        if descriptor >= 0 { return descriptor }
        switch destination {
        case .stdout: descriptor = STDOUT_FILENO
        case .stderr: descriptor = STDERR_FILENO
        case .file(let path):
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw WriteError(description: "opening \(path): \(Self.describe(errno))") }
            var info = stat()
            size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
            descriptor = fd
        }
        return descriptor
    }

    /// `path.(keep-1)` → `path.keep` … `path` → `path.1`; with `keep: 0`, `path` is removed.
    private func rotate() throws(WriteError) {
        guard case .file(let path) = destination else { return }
        closeFile()
        if keep == 0 {
            unlink(path)
        } else {
            unlink("\(path).\(keep)")
            for index in stride(from: keep - 1, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            if rename(path, "\(path).1") != 0, errno != ENOENT {
                throw WriteError(description: "rotating \(path): \(Self.describe(errno))")
            }
        }
        size = 0
    }

    static func describe(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

/// `close(2)`, named apart from the sink's own `close()`.
private func Glibc_close(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
