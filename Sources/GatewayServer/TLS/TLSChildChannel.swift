// Wraps the HTTP server's child channel setup so that every accepted connection speaks TLS:
// NIOSSLServerHandler goes first in the pipeline, below the request timeouts and the HTTP codec
// (they see plaintext), with the context current at accept time (TLSContextStore: a reload
// affects new connections only). Above it sit the client-certificate identity and the
// handshake guard (its deadline and quiet failures). `/ws` upgrades keep the TLS handlers: the upgrade replaces only HTTP ones.

import GatewayAuth
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

struct TLSChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let store: TLSContextStore
    /// nil when there is no client CA.
    let namer: ClientCertificateNamer?
    /// The header timeout, which also bounds the handshake.
    let handshakeTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Child channels are set up on their own event loop: the pipeline is ours to edit now,
        // after the base has put its handlers in (the request timeouts first among them).
        let configured = base.setup(channel: channel, logger: logger)
        do {
            let pipeline = channel.pipeline.syncOperations
            let tls = NIOSSLServerHandler(context: store.current)
            try pipeline.addHandler(tls, position: .first)
            let identity = ClientCertificateIdentity(tls: tls, namer: namer, logger: logger)
            try pipeline.addHandler(identity, position: .after(tls))
            try pipeline.addHandler(TLSHandshakeGuard(timeout: handshakeTimeout, logger: logger), position: .after(identity))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return configured
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Where a handler that writes serialised bytes to the socket goes (SocketWriteHandler):
    /// the pipeline's front, or right above TLS on a TLS connection, so its bytes are encrypted.
    func socketEndPosition() -> ChannelPipeline.SynchronousOperations.Position {
        // Without a TLS front end there is nothing to look for.
        if ConnectionPeer.tlsInUse, let identity = try? handler(type: ClientCertificateIdentity.self) { return .after(identity) }
        return .first
    }
}
