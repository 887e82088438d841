// Sits right above a connection's NIOSSLServerHandler and, once the handshake has verified the
// client's certificate against `mtls.ca_cert`, names the connection's principal from it
// (ClientCertificateNamer): once per connection, so a request's lookup (ConnectionPeer) reads a
// stored value. A connection without a certificate, or whose certificate names nobody under the
// chosen field, has no principal.

import GatewayAuth
import Logging
import NIOCore
import NIOSSL
import NIOTLS

final class ClientCertificateIdentity: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let tls: NIOSSLServerHandler
    /// nil when the server has no client CA: no certificate is asked for, none names anyone.
    private let namer: ClientCertificateNamer?
    private let logger: Logger
    /// The connection's principal, set when the handshake completes; read on the event loop.
    private(set) var principal: Principal?

    init(tls: NIOSSLServerHandler, namer: ClientCertificateNamer?, logger: Logger) {
        self.tls = tls
        self.namer = namer
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let namer, let event = event as? TLSUserEvent, case .handshakeCompleted = event,
           // Present only when it passed verification: the handshake fails otherwise.
           let certificate = tls.peerCertificate, let der = try? certificate.toDERBytes() {
            principal = namer.principal(certificateDER: der)
            if let principal {
                logger.debug("client certificate verified", metadata: ["principal": "\(principal)"])
            } else {
                logger.debug("client certificate verified but names no principal under mtls.client_principal",
                             metadata: ["field": "\(namer.field.rawValue)"])
            }
        }
        context.fireUserInboundEventTriggered(event)
    }
}
