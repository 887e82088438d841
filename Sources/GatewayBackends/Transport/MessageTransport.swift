// The one interface every upstream transport implements: move JSON-RPC messages as bytes.
// Correlation, timeouts and the MCP handshake live above it, in `RPCConnection`.

public enum TransportEvent: Sendable {
    /// A message; `relatedRequest` is the id of our request whose reply stream carried it,
    /// when the transport knows (Streamable HTTP does; stdio cannot).
    case message([UInt8], relatedRequest: Int?)
    case closed(reason: String)
}

public typealias TransportReceiver = @Sendable (TransportEvent) -> Void

public protocol MessageTransport: Sendable {
    /// Human-readable transport name for status output ("stdio", "streamable_http", "sse").
    var kind: String { get }
    /// Opens the transport; every incoming message and the final close go to `receiver`.
    func start(receiver: @escaping TransportReceiver) async throws(BackendError)
    /// Sends one message. HTTP transports return once the reply stream has been consumed;
    /// replies always arrive through the receiver.
    func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError)
    /// Closes the transport and releases its resources (for stdio: stops the process).
    func close() async
    /// Called after `initialize` succeeded with the negotiated version.
    func didInitialize(protocolVersion: String) async
    /// Switches between the 2026-07-28 framing (true) and the handshake era's (false), for
    /// transports whose framing differs (HTTP headers and sessions).
    func setModernEra(_ modern: Bool) async
    /// True when requests may go through `sendRequest` on the caller's own task: `send`
    /// returns once the message is written (stdio), or the transport hands long answers to a
    /// task of its own (Streamable HTTP over `http://`). False when `send` waits for a reply
    /// stream that a deadline must not wait for.
    var sendsRequestsInline: Bool { get }
    /// Sends request `id` on the caller's task: returns once its answer has been delivered to
    /// the receiver or, when the answer is a stream, once the stream is open, handing back the
    /// task that reads the rest (and that cancelling stops). Gives up at `deadline` when no
    /// answer has begun by then. `onStreamFailure` hears of a stream that breaks off.
    func sendRequest(_ message: [UInt8], id: Int, deadline: ContinuousClock.Instant,
                     onStreamFailure: @escaping @Sendable (BackendError) -> Void) async throws(BackendError) -> Task<Void, Never>?
}

extension MessageTransport {
    public func didInitialize(protocolVersion: String) async {}
    public func setModernEra(_ modern: Bool) async {}
    public var sendsRequestsInline: Bool { false }

    /// For transports whose `send` returns once the message is written.
    public func sendRequest(_ message: [UInt8], id: Int, deadline: ContinuousClock.Instant,
                            onStreamFailure: @escaping @Sendable (BackendError) -> Void) async throws(BackendError) -> Task<Void, Never>? {
        try await send(message, relatedRequest: id)
        return nil
    }
}
