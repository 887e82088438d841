// The `server.limits:` subsection: the bounds that keep one client (or many) from exhausting
// the gateway's memory, sockets or CPU. Every value has a safe default and a range checked at
// load (ConfigDecoder+Limits.swift); docs/security.md lists each one with its default.

/// Resource bounds of the client-facing front ends.
public struct ServerLimits: Sendable, Equatable {
    /// Live client sessions at once: Streamable HTTP sessions, legacy `/sse` sessions and
    /// WebSocket connections together. The next one is refused with HTTP 503.
    public var maxSessions: Int
    /// A Streamable HTTP session without an open stream is dropped after this long unused.
    public var sessionIdleTimeout: Duration
    /// Elements of one JSON-RPC batch; a longer batch is refused whole.
    public var maxBatchSize: Int
    /// Events one resumable POST stream keeps for `Last-Event-ID` replay (the newest ones).
    public var journalEvents: Int
    /// Bytes one resumable POST stream keeps for replay (the newest events).
    public var journalBytes: Int
    /// Bytes queued for one client connection that it has not read yet; a reader that falls
    /// further behind is disconnected.
    public var outboundBuffer: Int
    /// Time a connection has to send a complete request head (from connect, or from the
    /// first byte of a later request); then it is answered 408 and closed.
    public var headerTimeout: Duration
    /// Time a keep-alive connection may sit with no request in flight and no stream open.
    public var idleTimeout: Duration
    /// Characters of a tool, server or prompt name in a request: longer names are refused
    /// before any lookup or did-you-mean work.
    public var maxNameLength: Int

    public static let defaultMaxSessions = 1000
    public static let defaultSessionIdleTimeout = Duration.seconds(30 * 60)
    public static let defaultMaxBatchSize = 100
    public static let defaultJournalEvents = 1024
    public static let defaultJournalBytes = 4 * 1024 * 1024
    public static let defaultOutboundBuffer = 16 * 1024 * 1024
    public static let defaultHeaderTimeout = Duration.seconds(10)
    public static let defaultIdleTimeout = Duration.seconds(60)
    public static let defaultMaxNameLength = 256

    public init(
        maxSessions: Int = ServerLimits.defaultMaxSessions,
        sessionIdleTimeout: Duration = ServerLimits.defaultSessionIdleTimeout,
        maxBatchSize: Int = ServerLimits.defaultMaxBatchSize,
        journalEvents: Int = ServerLimits.defaultJournalEvents,
        journalBytes: Int = ServerLimits.defaultJournalBytes,
        outboundBuffer: Int = ServerLimits.defaultOutboundBuffer,
        headerTimeout: Duration = ServerLimits.defaultHeaderTimeout,
        idleTimeout: Duration = ServerLimits.defaultIdleTimeout,
        maxNameLength: Int = ServerLimits.defaultMaxNameLength
    ) {
        self.maxSessions = maxSessions
        self.sessionIdleTimeout = sessionIdleTimeout
        self.maxBatchSize = maxBatchSize
        self.journalEvents = journalEvents
        self.journalBytes = journalBytes
        self.outboundBuffer = outboundBuffer
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxNameLength = maxNameLength
    }
}
