// Blocking stdin/stdout for descriptors the event loop cannot poll (/dev/null, a regular
// file): one serial queue writes, one thread reads. Rare, so simple rather than fast.

import Dispatch
import GatewayBackends
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole lines to a descriptor in order, off the caller's thread.
final class BlockingLineWriter: Sendable {
    let fd: CInt
    private let queue = DispatchQueue(label: "mcp-gateway.stdout")

    init(fd: CInt) { self.fd = fd }

    func enqueue(_ line: [UInt8]) {
        let fd = self.fd
        queue.async {
            line.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var offset = 0
                while offset < raw.count {
                    let written = write(fd, base + offset, raw.count - offset)
                    if written > 0 { offset += written } else if errno != EINTR { return }
                }
            }
        }
    }
}

/// Reads lines from a descriptor until EOF, on a thread of its own (the reads block).
enum BlockingLineReader {
    /// A line's message, as the pipe decoder frames it (CR stripped, blank lines skipped).
    private static func deliver(_ bytes: ArraySlice<UInt8>, to onLine: @Sendable ([UInt8]) -> Void) {
        if let message = NewlineFrameDecoder.message(inLine: bytes) { onLine(message) }
    }

    static func start(fd: CInt, onLine: @escaping @Sendable ([UInt8]) -> Void, onEnd: @escaping @Sendable () -> Void) {
        DispatchQueue(label: "mcp-gateway.stdin").async {
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                pending.append(contentsOf: chunk[0..<count])
                var start = 0
                while let newline = pending[start...].firstIndex(of: 0x0A) {
                    deliver(pending[start..<newline], to: onLine)
                    start = newline + 1
                }
                pending.removeFirst(start)
                // The same guard as the pipe decoder's: a peer that never ends a line.
                if pending.count > NewlineFrameDecoder.defaultMaximumLineLength { break }
            }
            if pending.count <= NewlineFrameDecoder.defaultMaximumLineLength { deliver(pending[...], to: onLine) }
            onEnd()
        }
    }
}
