// What the HTTP front end needs for `mtls:`: the reloadable server context, the wrapper that
// puts TLS into each accepted connection, and the service that reloads the files. Built only
// when TLS is configured; a plain front end builds none of it.

import GatewayAuth
import GatewayConfig
import HummingbirdCore
import Logging
import ServiceLifecycle

struct TLSFrontEnd {
    let store: TLSContextStore
    let namer: ClientCertificateNamer?
    let headerTimeout: Duration
    let logger: Logger

    /// nil without settings (plain HTTP). Throws when the files no longer load.
    init?(settings: TLSSettings?, headerTimeout: Duration, logger: Logger) throws {
        guard let settings else { return nil }
        store = try TLSContextStore(settings: settings)
        namer = settings.clientCAPath == nil ? nil : ClientCertificateNamer(settings)
        self.headerTimeout = headerTimeout
        self.logger = logger
        ConnectionPeer.tlsFrontEndStarted()
    }

    /// `base`, with TLS under every connection it sets up.
    func wrap<Base: ServerChildChannel>(_ base: Base) -> any ServerChildChannel {
        TLSChildChannel(base: base, store: store, namer: namer, handshakeTimeout: headerTimeout)
    }

    var reloadService: ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: TLSReloadService(store: store, interval: store.settings.reloadInterval, logger: logger),
              serviceName: "tls-reload")
    }
}
