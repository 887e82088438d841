// What one tool did on one day (UTC): calls by outcome, bytes, latency buckets, last use. The
// unit the recorder adds up in memory and the store keeps per row; two of them for the same
// tool and day merge by adding.

public struct ToolDayKey: Sendable, Hashable {
    public let server: String
    public let tool: String
    /// Days since 1970-01-01, UTC.
    public let day: Int

    public init(server: String, tool: String, day: Int) {
        self.server = server
        self.tool = tool
        self.day = day
    }
}

/// How a tool call ended, as the profiles count it.
public enum ProfileOutcome: Sendable {
    case ok
    /// A result with `isError: true`.
    case toolError
    /// The backend answered a JSON-RPC error.
    case error
    case timeout
    case cancelled
    /// The backend could not be started, reached or understood.
    case unavailable
}

public struct ToolDayCounts: Sendable, Equatable {
    public var calls: Int64 = 0
    public var ok: Int64 = 0
    public var toolErrors: Int64 = 0
    public var errors: Int64 = 0
    public var timeouts: Int64 = 0
    public var cancelled: Int64 = 0
    public var unavailable: Int64 = 0
    public var bytesIn: Int64 = 0
    public var bytesOut: Int64 = 0
    public var latencyMicroseconds: Int64 = 0
    public var latency = LatencyBuckets()
    /// Unix seconds of the last call.
    public var lastUsed: Int64 = 0

    public init() {}

    public mutating func record(_ outcome: ProfileOutcome, microseconds: Int64, bytesIn: Int, bytesOut: Int, at unixSeconds: Int64) {
        calls += 1
        switch outcome {
        case .ok: ok += 1
        case .toolError: toolErrors += 1
        case .error: errors += 1
        case .timeout: timeouts += 1
        case .cancelled: cancelled += 1
        case .unavailable: unavailable += 1
        }
        self.bytesIn += Int64(bytesIn)
        self.bytesOut += Int64(bytesOut)
        latencyMicroseconds += microseconds
        latency.record(microseconds: microseconds)
        lastUsed = max(lastUsed, unixSeconds)
    }

    public mutating func add(_ other: ToolDayCounts) {
        calls += other.calls
        ok += other.ok
        toolErrors += other.toolErrors
        errors += other.errors
        timeouts += other.timeouts
        cancelled += other.cancelled
        unavailable += other.unavailable
        bytesIn += other.bytesIn
        bytesOut += other.bytesOut
        latencyMicroseconds += other.latencyMicroseconds
        latency.add(other.latency)
        lastUsed = max(lastUsed, other.lastUsed)
    }

    /// Calls that did not end well: every outcome but `ok` (a tool's own `isError` included).
    public var failures: Int64 { calls - ok }
}
