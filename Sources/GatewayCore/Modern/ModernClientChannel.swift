// The client channel of one 2026-07-28 request: notifications go on that request's own
// stream. The era has no server-to-client requests: tool calls relay a backend's questions
// as `input_required` results (MultiRoundTripCalls); anywhere else they are refused.

import GatewayAuth
import MCPProtocol

public struct ModernClientChannel: ClientChannel {
    public let context: ClientContext
    public let sink: @Sendable ([UInt8]) -> Void
    /// The request's own progress token (this channel serves one request).
    public let progressToken: JSONValue?

    public init(envelope: ModernEra.Envelope, principal: Principal, frontEnd: FrontEnd = .unknown,
                sink: @escaping @Sendable ([UInt8]) -> Void) {
        // Logging at 2026-07-28 is per request: only a request whose `_meta` names a level gets
        // log messages, on its own stream, at that level and above (an unknown name gets none).
        let logLevel = envelope.logLevel.flatMap(LogSeverity.init(name:)).map { ClientLogLevel(level: $0) }
        context = ClientContext(principal: principal, protocolVersion: envelope.protocolVersion, capabilities: envelope.capabilities,
                                logLevel: logLevel, frontEnd: frontEnd)
        progressToken = envelope.progressToken
        self.sink = sink
    }

    private init(context: ClientContext, progressToken: JSONValue?, sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.context = context
        self.progressToken = progressToken
        self.sink = sink
    }

    /// The same request's channel with its notifications going to `sink`.
    public func sending(to sink: @escaping @Sendable ([UInt8]) -> Void) -> ModernClientChannel {
        ModernClientChannel(context: context, progressToken: progressToken, sink: sink)
    }

    public func notify(_ message: [UInt8]) { sink(message) }

    /// Whether anything but the final reply can go on this request's stream: progress under
    /// its own token, or, in a tool call, log messages it asked for, or the events of a multi-round-trip call (parked or
    /// resumed). When nothing can, the front end may answer plain JSON without a stream.
    public func mayStream(method: String, params: [JSONScanner.Member]) -> Bool {
        if progressToken != nil { return true }
        guard method == "tools/call" else { return false }
        if context.logLevel != nil { return true }
        return answersQuestions || MultiRoundTripCalls.isRetry(params)
    }

    public func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        .failure(JSONRPCErrorObject(
            code: JSONRPCErrorCode.methodNotFound,
            message: "\(method) cannot be relayed to a 2026-07-28 client by this gateway version"))
    }
}
