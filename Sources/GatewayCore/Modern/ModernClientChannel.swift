// The client channel of one 2026-07-28 request: notifications go on that request's own
// stream. The era has no server-to-client requests: tool calls relay a backend's questions
// as `input_required` results (MultiRoundTripCalls); anywhere else they are refused.

import MCPProtocol

public struct ModernClientChannel: ClientChannel {
    public let context: ClientContext
    public let sink: @Sendable ([UInt8]) -> Void
    /// The request's own progress token (this channel serves one request).
    public let progressToken: JSONValue?

    public init(envelope: ModernEra.Envelope, sink: @escaping @Sendable ([UInt8]) -> Void) {
        context = ClientContext(protocolVersion: envelope.protocolVersion, capabilities: envelope.capabilities)
        progressToken = envelope.progressToken
        self.sink = sink
    }

    public func notify(_ message: [UInt8]) { sink(message) }

    public func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        .failure(JSONRPCErrorObject(
            code: JSONRPCErrorCode.methodNotFound,
            message: "\(method) cannot be relayed to a 2026-07-28 client by this gateway version"))
    }
}
