// Builds the HTTP application: routes for /mcp, /mcp/{backend}, /ws, /sse, /messages, /health,
// /ready, /metrics and the dashboard (/ui), and the catalog listener that tells sessions their
// tool list changed.

import GatewayAuth
import GatewayCore
import GatewaySealing
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import MCPProtocol
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

public enum HTTPFrontEnd {
    /// The front end's services, each named: the HTTP server, the `Date` header clock and the
    /// session reaper. They join the gateway's own ServiceGroup rather than Hummingbird's
    /// `Application`, which runs a second group and names its services by reflecting over
    /// them (~7.6M instructions of conformance lookups before the first /health).
    public static func makeServices(
        gateway: Gateway,
        identity: FrontEndIdentity,
        readiness: Readiness,
        logger: Logger,
        host: String,
        port: Int,
        reloader: ConfigReloader? = nil,
        sessionKeys: SealingKeyRing? = nil,
        onListening: @escaping @Sendable (_ port: Int) -> Void
    ) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let settings = gateway.config.server
        let limits = settings.limits
        // One budget for every kind of session (server.limits.max_sessions).
        let budget = SessionBudget(limit: limits.maxSessions)
        // With the cluster's keys, session ids carry their session (SessionSealing).
        let sessions = SessionStore(limits: limits, budget: budget, subscriptions: gateway.resourceSubscriptions,
                                    sealing: sessionKeys.map { SessionSealing(ring: $0, purpose: "mcp-session") })
        let listening = ListeningPort(port)
        let policy = OriginPolicy(allowedOrigins: settings.allowedOrigins, bindHost: host, listening: listening,
                                  secure: gateway.config.tls != nil)
        let gate = RequestGate(box: identity.box, peersHaveCertificates: identity.peersHaveCertificates,
                               dashboard: gateway.config.telemetry.dashboard ? DashboardAccess(sessions: identity.dashboardSessions) : nil,
                               signedPathPrefix: gateway.webhooks.map { $0.settings.basePath + "/" })
        let endpoint = StreamableHTTPEndpoint(
            gateway: gateway, sessions: sessions,
            policy: policy, gate: gate,
            maxBodySize: settings.maxBodySize, keepAliveInterval: .seconds(15), limits: limits, logger: logger)
        let directSessions = SessionStore(limits: limits, budget: budget,
                                          sealing: sessionKeys.map { SessionSealing(ring: $0, purpose: "mcp-direct-session") },
                                          frontEnd: .direct)
        let direct = DirectBackendEndpoint(gateway: gateway, guardian: endpoint, sessions: directSessions)
        let health = HealthEndpoint(gateway: gateway, readiness: readiness, callersIdentified: { identity.callersIdentified })
        let webSocket = WebSocketEndpoint(
            connections: WebSocketConnectionHandler(gateway: gateway, maxMessageSize: settings.maxBodySize, budget: budget,
                                                    outboundLimit: limits.outboundBuffer, maxBatchSize: limits.maxBatchSize, logger: logger),
            guardian: endpoint, gate: gate, logger: logger)
        let legacySSESessions = LegacySSESessions(budget: budget)
        let legacySSE = LegacySSEEndpoint(gateway: gateway, sessions: legacySSESessions, guardian: endpoint,
                                          maxBodySize: settings.maxBodySize, keepAliveInterval: .seconds(15),
                                          outboundLimit: limits.outboundBuffer, logger: logger)

        gateway.catalog.addListener { _ in
            let notification = JSONRPCEncoder.notification(method: "notifications/tools/list_changed", params: nil as JSONValue?)
            for session in sessions.all { session.send(notification) }
        }

        gateway.backendNotifications.subscribe { server, method, params in
            guard let message = BackendNotificationHub.clientMessage(server: server, method: method, params: params) else { return }
            for session in sessions.all { session.send(message) }
        }

        let router = Router(context: GatewayRequestContext.self)
        let tracing = gateway.tracer != nil
        router.post("/mcp") { request, context in
            await IncomingTraceContext.binding(request, tracing: tracing) {
                await endpoint.post(request, channel: context.channel, principal: context.principal)
            }
        }
        router.get("/mcp") { request, context in await endpoint.get(request, channel: context.channel, principal: context.principal) }
        router.delete("/mcp") { request, context in await endpoint.delete(request, principal: context.principal) }
        router.post("/mcp/:backend") { request, context in
            await IncomingTraceContext.binding(request, tracing: tracing) {
                await direct.post(request, backendName: context.parameters.get("backend") ?? "", principal: context.principal)
            }
        }
        router.get("/mcp/:backend") { request, _ in direct.get(request) }
        router.delete("/mcp/:backend") { request, context in await direct.delete(request, principal: context.principal) }
        router.get("/ws") { request, _ in webSocket.plainGet(request) }
        router.get("/sse") { request, context in legacySSE.get(request, channel: context.channel, principal: context.principal) }
        router.post("/messages") { request, context in
            await IncomingTraceContext.binding(request, tracing: tracing) { await legacySSE.post(request, principal: context.principal) }
        }
        // The same Origin and Host checks as every other route: the health report's
        // last_error can name backend URLs, which a rebound page must not read.
        router.get("/health") { request, context in
            if let rejected = endpoint.guardRequest(request) { return rejected }
            return await health.health(for: context.principal)
        }
        router.get("/ready") { request, _ in
            if let rejected = endpoint.guardRequest(request) { return rejected }
            return health.ready()
        }
        if let metrics = gateway.metrics {
            let endpointForMetrics = MetricsEndpoint(gateway: gateway, metrics: metrics, identity: identity)
            MetricsEndpoint.collectSessions(into: metrics, budget: budget, streamable: sessions, direct: directSessions,
                                            legacySSE: legacySSESessions)
            router.get(RouterPath(MetricsEndpoint.path)) { request, context in
                if let rejected = endpoint.guardRequest(request) { return rejected }
                return await endpointForMetrics.get(principal: context.principal)
            }
        }
        if let metadata = identity.resourceMetadata {
            for path in metadata.paths {
                router.get(RouterPath(path)) { request, _ in
                    if let rejected = endpoint.guardRequest(request) { return rejected }
                    return HTTPReplies.json(metadata.document)
                }
            }
        }

        // `webhooks:` endpoints: outside the gate (their signature is their credential).
        if let inbox = gateway.webhooks { WebhookEndpoint(inbox: inbox, logger: logger).register(on: router) }

        // `/ui` (telemetry.dashboard): pages, live events and admin actions.
        var dashboardServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if gateway.config.telemetry.dashboard {
            let dashboard = try DashboardEndpoint(
                gateway: gateway,
                reloader: reloader ?? ConfigReloader(gateway: gateway, identity: identity, path: gateway.config.sourcePath, logger: logger),
                identity: identity, secureCookie: gateway.config.tls != nil, logger: logger)
            dashboard.register(on: router) { endpoint.guardRequest($0) }
            dashboardServices.append(.init(service: dashboard, serviceName: "dashboard-streams"))
        }

        let responder = router.buildResponder()
        let dates = HTTPDateHeader()
        let respond: HTTPChannelHandler.Responder = { request, writer, channel in
            var context = GatewayRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                // The gate, before any route: every route sees an admitted caller.
                switch await gate.admit(request, channel: channel) {
                case .allowed(let principal):
                    context.principal = principal
                    response = try await responder.respond(to: request, context: context)
                case .refused(let refusal):
                    response = refusal
                }
            } catch let error as HTTPParserError {
                throw error  // the server answers 400 and closes the connection
            } catch {
                logger.debug("unhandled error in a request handler: \(error)")
                response = Response(status: .internalServerError)
            }
            response.headers[.date] = dates.value
            response.headers[.server] = serverName
            do {
                try await writer.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                // Part of the response is out: a 400 now would be a second response.
                throw ResponseWriteFailed()
            }
        }
        let channelSetup = GuardedUpgradeChannel(
            inner: HTTP1WebSocketUpgradeChannel(
                responder: respond,
                webSocketResponder: webSocket.upgradeRouter().buildResponder(),
                configuration: .init(
                    http1: .init(additionalChannelHandlers: [PlainPostHandlerInstaller {
                        PlainPostHandler(endpoint: endpoint, gate: gate, dates: dates, socketEnd: $0, timeouts: $1)
                    }]),
                    ws: WebSocketServerConfiguration(maxFrameSize: settings.maxBodySize))),
            policy: policy, gate: gate)
        // Every connection gets the header and idle timeouts from its first byte on, and TLS
        // under them when `mtls` is configured.
        let tls = try TLSFrontEnd(settings: gateway.config.tls, headerTimeout: limits.headerTimeout, logger: logger)
        let timed = TimedChildChannel(base: channelSetup, headerTimeout: limits.headerTimeout, idleTimeout: limits.idleTimeout)
        let server = (tls?.wrap(timed) ?? timed)
            .server(configuration: ServerConfiguration(address: .hostname(host, port: port), serverName: serverName),
                    onServerRunning: { channel in
                        let bound = channel.localAddress?.port ?? port
                        listening.bound(to: bound)
                        onListening(bound)
                    },
                    eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                    logger: logger)
        return [
            .init(service: SessionReaper(sessions: sessions), serviceName: "session-reaper"),
            .init(service: SessionReaper(sessions: directSessions), serviceName: "direct-session-reaper"),
            .init(service: dates, serviceName: "http-date"),
            .init(service: server, serviceName: "http-server"),
        ] + dashboardServices + (tls.map { [$0.reloadService] } ?? [])
    }

    static let serverName = "mcp-gateway"

    private struct ResponseWriteFailed: Error {}
}
