// The client channel of one 2026-07-28 request: notifications go on that request's own
// stream; the era has no server-to-client requests, so a backend's elicitation or sampling
// request is refused (multi-round-trip `input_required` relay is not implemented yet).

import MCPProtocol

public struct ModernClientChannel: ClientChannel {
    public let context: ClientContext
    let sink: @Sendable ([UInt8]) -> Void

    public init(envelope: ModernEra.Envelope, sink: @escaping @Sendable ([UInt8]) -> Void) {
        context = ClientContext(protocolVersion: envelope.protocolVersion, capabilities: envelope.capabilities)
        self.sink = sink
    }

    public func notify(_ message: [UInt8]) { sink(message) }

    public func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        .failure(JSONRPCErrorObject(
            code: JSONRPCErrorCode.methodNotFound,
            message: "\(method) cannot be relayed to a 2026-07-28 client by this gateway version"))
    }
}
