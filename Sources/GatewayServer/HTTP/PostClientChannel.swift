// The client channel of one POST: notifications and relayed requests travel on that POST's
// event stream; the client's answers arrive as later POSTs and meet here via the broker.

import GatewayCore
import MCPProtocol

struct PostClientChannel: ClientChannel {
    let context: ClientContext
    let reply: ReplyChannel
    let broker: ClientRequestBroker

    func notify(_ message: [UInt8]) {
        reply.notification(message)
    }

    func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        await broker.request(method: method, params: params, write: { reply.notification($0) })
    }
}
