// Builds the HTTP application: routes for /mcp, /mcp/{backend}, /ws, /sse, /messages, /health
// and /ready, and the catalog listener that tells sessions their tool list changed.

import GatewayCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import MCPProtocol
import NIOCore

public enum HTTPFrontEnd {
    public static func makeApplication(
        gateway: Gateway,
        readiness: Readiness,
        logger: Logger,
        host: String,
        port: Int,
        onListening: @escaping @Sendable (_ port: Int) -> Void
    ) -> some ApplicationProtocol {
        let settings = gateway.config.server
        let sessions = SessionStore(subscriptions: gateway.resourceSubscriptions)
        let endpoint = StreamableHTTPEndpoint(
            gateway: gateway, sessions: sessions,
            policy: OriginPolicy(allowedOrigins: settings.allowedOrigins, bindHost: host),
            maxBodySize: settings.maxBodySize, keepAliveInterval: .seconds(15), logger: logger)
        let direct = DirectBackendEndpoint(gateway: gateway, guardian: endpoint)
        let health = HealthEndpoint(gateway: gateway, readiness: readiness)
        let webSocket = WebSocketEndpoint(
            connections: WebSocketConnectionHandler(gateway: gateway, maxMessageSize: settings.maxBodySize, logger: logger),
            guardian: endpoint, logger: logger)
        let legacySSE = LegacySSEEndpoint(gateway: gateway, sessions: LegacySSESessions(), guardian: endpoint,
                                          maxBodySize: settings.maxBodySize, keepAliveInterval: .seconds(15), logger: logger)

        gateway.catalog.addListener { _ in
            let notification = JSONRPCEncoder.notification(method: "notifications/tools/list_changed", params: nil as JSONValue?)
            for session in sessions.all { session.send(notification) }
        }

        gateway.backendNotifications.subscribe { server, method, params in
            guard let message = BackendNotificationHub.clientMessage(server: server, method: method, params: params) else { return }
            for session in sessions.all { session.send(message) }
        }

        let router = Router(context: GatewayRequestContext.self)
        router.post("/mcp") { request, context in await endpoint.post(request, channel: context.channel) }
        router.get("/mcp") { request, _ in await endpoint.get(request) }
        router.delete("/mcp") { request, _ in await endpoint.delete(request) }
        router.post("/mcp/:backend") { request, context in
            await direct.post(request, backendName: context.parameters.get("backend") ?? "")
        }
        router.get("/ws") { request, _ in webSocket.plainGet(request) }
        router.get("/sse") { request, _ in legacySSE.get(request) }
        router.post("/messages") { request, _ in await legacySSE.post(request) }
        router.get("/health") { _, _ in await health.health() }
        router.get("/ready") { _, _ in health.ready() }

        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: webSocket.upgradeRouter(),
                configuration: .init(ws: WebSocketServerConfiguration(maxFrameSize: settings.maxBodySize))),
            configuration: .init(address: .hostname(host, port: port), serverName: "mcp-gateway"),
            services: [SessionReaper(sessions: sessions)],
            onServerRunning: { channel in
                onListening(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
    }
}
