// `GET /metrics`: the Prometheus text exposition. Behind the same gate as every route; past
// it, only admins and the principals `telemetry.metrics.readers` names may read it (it names
// backends, tools and their error rates), unless `auth.public_paths` lists `/metrics`, which
// opens it to every caller. Session counts per front end are read here, at the scrape.

import GatewayAuth
import GatewayCore
import GatewayTelemetry
import HTTPTypes
import Hummingbird
import NIOCore

struct MetricsEndpoint: Sendable {
    static let path = "/metrics"
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let gateway: Gateway
    let metrics: GatewayMetrics
    let identity: FrontEndIdentity

    func get(principal: Principal) async -> Response {
        guard gateway.mayReadMetrics(principal) || identity.box.current.isPublic(path: Self.path) else {
            return HTTPReplies.rpcError(.forbidden, code: -32001,
                                        message: "/metrics is for admins and the principals in telemetry.metrics.readers")
        }
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        let body = await metrics.exposition()
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Live sessions per front end, read from the session tables at each scrape. WebSocket
    /// connections have no table: they are the shared budget's count less the others.
    static func collectSessions(into metrics: GatewayMetrics, budget: SessionBudget, streamable: SessionStore,
                                direct: SessionStore, legacySSE: LegacySSESessions) {
        metrics.addCollector { scrape in
            let counts = [("streamable_http", streamable.count), ("direct", direct.count), ("sse", legacySSE.count)]
            let others = counts.reduce(0) { $0 + $1.1 }
            for (frontEnd, count) in counts + [("websocket", max(0, budget.count - others))] {
                scrape.gauge("mcp_gateway_sessions", help: "Live client sessions (WebSocket: connections), by front end.",
                             labels: [("front_end", frontEnd)], value: Double(count))
            }
        }
    }
}
