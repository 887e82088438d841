// Reads `server.limits:`. Each value is range-checked here, so a limit that would disable
// itself (zero) or overflow later arithmetic (huge) is a load error with file:line, not a
// surprise at run time.

import Yams

extension ConfigDecoder {
    mutating func serverLimits(_ node: Node, path: String) -> ServerLimits {
        var limits = ServerLimits()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.serverLimits, path: path) else { return limits }
        for entry in entries {
            let (value, path) = (entry.value, entry.path)
            switch entry.key {
            case "max_sessions":
                if let n = count(value, path: path, in: 1...1_000_000) { limits.maxSessions = n }
            case "session_idle_timeout":
                if let d = boundedDuration(value, path: path, in: .seconds(1)...(.seconds(7 * 86_400)), shown: "1s to 7 days") { limits.sessionIdleTimeout = d }
            case "max_batch_size":
                if let n = count(value, path: path, in: 1...100_000) { limits.maxBatchSize = n }
            case "journal_events":
                if let n = count(value, path: path, in: 1...1_000_000) { limits.journalEvents = n }
            case "journal_bytes":
                if let n = boundedSize(value, path: path, in: 1024...(1 << 30)) { limits.journalBytes = n }
            case "outbound_buffer":
                if let n = boundedSize(value, path: path, in: 1024...(1 << 30)) { limits.outboundBuffer = n }
            case "header_timeout":
                if let d = boundedDuration(value, path: path, in: .milliseconds(100)...(.seconds(3600)), shown: "100ms to 1h") { limits.headerTimeout = d }
            case "idle_timeout":
                if let d = boundedDuration(value, path: path, in: .milliseconds(100)...(.seconds(86_400)), shown: "100ms to 24h") { limits.idleTimeout = d }
            case "max_name_length":
                if let n = count(value, path: path, in: 8...65_536) { limits.maxNameLength = n }
            default:
                break
            }
        }
        return limits
    }

    /// A whole number within `range`.
    mutating func count(_ node: Node, path: String, in range: ClosedRange<Int>) -> Int? {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let text = text(of: node, path: path, expected: expected) else { return nil }
        let trimmed = text.trimmingBlanks()
        guard !trimmed.isEmpty, trimmed.count <= 10, trimmed.allSatisfy(\.isASCIIDigit),
              let number = Int(trimmed), range.contains(number) else {
            reportMismatch(expected: expected, found: text, node: node, path: path)
            return nil
        }
        return number
    }

    /// A size within `range` bytes.
    private mutating func boundedSize(_ node: Node, path: String, in range: ClosedRange<Int>) -> Int? {
        guard let bytes = byteSize(node, path: path) else { return nil }
        guard range.contains(bytes) else {
            error("expected a size from \(range.lowerBound) bytes to \(range.upperBound / (1 << 20))MiB for '\(path)', found \(bytes) bytes",
                  at: node.mark, path: path)
            return nil
        }
        return bytes
    }

    /// A duration within `range`.
    mutating func boundedDuration(_ node: Node, path: String, in range: ClosedRange<Duration>, shown: String) -> Duration? {
        guard let duration = duration(node, path: path, allowZero: false) else { return nil }
        guard range.contains(duration) else {
            error("expected a duration from \(shown) for '\(path)'", at: node.mark, path: path)
            return nil
        }
        return duration
    }
}
