// The gateway's own notifications for one connection-bound client: tools/list_changed, backend
// list changes, and updates of resources it subscribed to. Cancel on close. (Backend log
// messages reach a client through its calls, not here.)

import GatewayCore
import MCPProtocol

final class ConnectionNotifications: Sendable {
    let gateway: Gateway
    let subscriber: String
    private let catalogListener: UInt64
    private let hubListener: UInt64

    /// At 2026-07-28 these notifications exist only on listen streams: a connection in that era
    /// gets none of them here.
    init(gateway: Gateway, connection: MessageConnection) {
        self.gateway = gateway
        self.subscriber = connection.sessionID
        let write: @Sendable ([UInt8]) -> Void = { [weak connection] message in
            guard let connection, connection.acceptsSessionNotifications else { return }
            connection.write(message)
        }
        catalogListener = gateway.catalog.addListener { _ in
            write(JSONRPCEncoder.notification(method: "notifications/tools/list_changed", params: nil as JSONValue?))
        }
        hubListener = gateway.backendNotifications.subscribe { server, method, params in
            guard let message = BackendNotificationHub.clientMessage(server: server, method: method, params: params) else { return }
            write(message)
        }
        gateway.resourceSubscriptions.register(subscriber: subscriber, sink: write)
    }

    func cancel() async {
        gateway.catalog.removeListener(catalogListener)
        gateway.backendNotifications.unsubscribe(hubListener)
        // Unstructured: the caller may be a cancelled request task, and releasing upstream
        // subscriptions must still reach the backends.
        let (subscriptions, subscriber) = (gateway.resourceSubscriptions, subscriber)
        await Task { await subscriptions.unregister(subscriber: subscriber) }.value
    }
}
