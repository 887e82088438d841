// The last lines a backend process wrote to stderr, kept across its restarts, so /health can
// show why a backend that keeps failing to start fails (the log has them too, but an operator
// looking at /health should not have to dig). Bounded: a few lines, each cut short.

import Synchronization

public final class StderrTail: Sendable {
    public static let lineLimit = 10
    public static let lineBytes = 300

    private let lines = Mutex<[String]>([])

    public init() {}

    func append(_ line: [UInt8]) {
        var text = String(decoding: line.prefix(Self.lineBytes), as: UTF8.self)
        if line.count > Self.lineBytes { text += "…" }
        lines.withLock { lines in
            if lines.count == Self.lineLimit { lines.removeFirst() }
            lines.append(text)
        }
    }

    /// The kept lines, oldest first.
    public var snapshot: [String] { lines.withLock { $0 } }
}
