// A `Backend` whose sessions run over ScriptedTransports: `factory` makes the transport of
// each start (numbered from 1), or throws to make that start fail.

import AsyncHTTPClient
import GatewayBackends
import GatewayConfig
import Logging
import Synchronization

final class ScriptedBackend: Sendable {
    let backend: Backend
    private let record = Record()

    final class Record: Sendable {
        let made = Mutex<[ScriptedTransport]>([])
        let attempts = Mutex(0)
    }

    init(_ settings: BackendSettings, cacheTTL: Duration = .seconds(3600), factory: @escaping @Sendable (_ start: Int) throws(BackendError) -> ScriptedTransport) {
        let record = self.record
        backend = Backend(settings: settings, httpClient: HTTPClient.shared, cacheTTL: cacheTTL,
                          logger: Logger(label: "test"), onToolsChanged: { _ in },
                          makeTransport: { () throws(BackendError) -> any MessageTransport in
                              let start = record.attempts.withLock { n -> Int in
                                  n += 1
                                  return n
                              }
                              let transport = try factory(start)
                              record.made.withLock { $0.append(transport) }
                              return transport
                          })
    }

    /// Starts attempted, failed ones included.
    var starts: Int { record.attempts.withLock { $0 } }
    var transports: [ScriptedTransport] { record.made.withLock { $0 } }
    /// Every request of `method` the backend was sent, over all its sessions.
    func sent(_ method: String) -> Int { transports.reduce(0) { $0 + $1.sentMethods().filter { $0 == method }.count } }

    /// A minute by default: parallel tests on a loaded 2-core machine can stall a call for seconds.
    static func settings(name: String = "b", timeout: Duration = .seconds(60), toolTimeouts: [ToolTimeout] = [],
                         idempotentTools: [String] = [], trustAnnotations: Bool = false,
                         stopWhenIdleFor: Duration? = nil) -> BackendSettings {
        BackendSettings(name: name, transport: .stdio(command: ["scripted"]), timeout: timeout,
                        protocolVersion: .handshake("2025-06-18"), toolTimeouts: toolTimeouts,
                        idempotentTools: idempotentTools, trustAnnotations: trustAnnotations, stopWhenIdleFor: stopWhenIdleFor)
    }
}
