// The client channel of a POST answered as plain JSON (ReplyStreaming found nothing that
// needs its stream): should a message for the client turn up anyway, it travels on the
// session's GET stream rather than being lost.

import GatewayCore
import MCPProtocol

struct SessionClientChannel: ClientChannel {
    let session: ClientSession

    var context: ClientContext { session.context }

    func notify(_ message: [UInt8]) {
        session.send(message)
    }

    func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        await session.broker.request(method: method, params: params, write: { session.send($0) })
    }
}
