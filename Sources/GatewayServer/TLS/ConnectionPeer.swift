// The principal a connection's verified client certificate names (mTLS), for the gate. Plain
// HTTP connections have none.
// PLACEHOLDER until the TLS front end lands: no connection carries a certificate yet.

import GatewayAuth
import NIOCore

enum ConnectionPeer {
    /// From a request handler off the event loop (the routed path).
    static func principal(of channel: any Channel) async -> Principal? { nil }
    /// From a channel handler on the connection's event loop (the lean POST path).
    static func principal(in context: ChannelHandlerContext) -> Principal? { nil }
}
