// The principal a connection's verified client certificate names (mTLS), for the gate. The TLS
// front end names it once per connection (ClientCertificateIdentity); these two entry points
// read it. A gateway without TLS answers nil before touching the channel: `tlsInUse` is set
// only when a TLS front end is built, so plain HTTP pays one relaxed atomic load.

import GatewayAuth
import NIOCore
import Synchronization

enum ConnectionPeer {
    private static let tlsFrontEnds = Atomic<Bool>(false)

    /// Called when a TLS front end is built; from then on lookups look at the pipeline.
    static func tlsFrontEndStarted() { tlsFrontEnds.store(true, ordering: .relaxed) }

    static var tlsInUse: Bool { tlsFrontEnds.load(ordering: .relaxed) }

    /// From a request handler off the event loop (the routed path): one hop to the channel's loop.
    static func principal(of channel: any Channel) async -> Principal? {
        guard tlsInUse else { return nil }
        if channel.eventLoop.inEventLoop { return lookup(channel.pipeline.syncOperations) }
        return try? await channel.eventLoop.submit { lookup(channel.pipeline.syncOperations) }.get()
    }

    /// From a channel handler on the connection's event loop (the lean POST path).
    static func principal(in context: ChannelHandlerContext) -> Principal? {
        guard tlsInUse else { return nil }
        return lookup(context.pipeline.syncOperations)
    }

    private static func lookup(_ pipeline: ChannelPipeline.SynchronousOperations) -> Principal? {
        (try? pipeline.handler(type: ClientCertificateIdentity.self))?.principal
    }
}
