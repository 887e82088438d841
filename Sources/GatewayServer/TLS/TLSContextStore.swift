// The TLS server context new connections take, and its reload: `reloadIfChanged` re-reads the
// certificate, key and CA files when their size, modification time or inode changed (of the
// file a symbolic link leads to), and swaps a new context in for the connections accepted from
// then on. Open connections keep the context they were accepted with, so a reload drops nobody. A reload that fails (a bad or half-written
// file, a key that does not match yet) keeps the old context and is logged once per change.

import Foundation
import GatewayConfig
import Logging
import NIOSSL
import Synchronization

final class TLSContextStore: Sendable {
    let settings: TLSSettings
    private let state: Mutex<State>

    private struct State {
        var context: NIOSSLContext
        /// The files' stamps the current context was loaded from.
        var loaded: [FileSignature?]
        /// The stamps of the last failed reload: the warning is not repeated until they change.
        var failed: [FileSignature?]?
    }

    /// Loads the files now; the config loader has checked them already, so a failure here means
    /// they changed since, and the front end does not start.
    init(settings: TLSSettings) throws(TLSMaterial.Failure) {
        self.settings = settings
        let stamps = Self.stamps(settings)
        state = Mutex(State(context: try TLSMaterial.serverContext(settings), loaded: stamps, failed: nil))
    }

    /// The context for a connection accepted now.
    var current: NIOSSLContext { state.withLock { $0.context } }

    /// Reloads when a file changed; true when a new context was swapped in.
    @discardableResult
    func reloadIfChanged(logger: Logger) -> Bool {
        let before = Self.stamps(settings)
        let (changed, alreadyFailed) = state.withLock { ($0.loaded != before, $0.failed == before) }
        guard changed, !alreadyFailed else { return false }
        do {
            let context = try TLSMaterial.serverContext(settings)
            // A file that changed while it was read is read again at the next check.
            let after = Self.stamps(settings)
            state.withLock { state in
                state.context = context
                state.loaded = after == before ? before : []
                state.failed = nil
            }
            logger.notice("TLS certificate files changed: new connections use the reloaded certificate",
                          metadata: ["server_cert": "\(settings.serverCertificatePath)"])
            return true
        } catch {
            state.withLock { $0.failed = before }
            logger.warning("TLS certificate files changed but cannot be loaded; connections keep the previous certificate",
                           metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The signatures of the files the paths lead to: symbolic links are followed, since a
    /// renewal often swaps a link (a Kubernetes secret volume swaps its `..data` directory
    /// link) and leaves the link named in the config as it was.
    static func stamps(_ settings: TLSSettings) -> [FileSignature?] {
        [settings.serverCertificatePath, settings.serverKeyPath, settings.clientCAPath].map { path in
            path.flatMap(FileSignature.of)
        }
    }
}
