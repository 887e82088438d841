// The gateway's MCP endpoint over WebSocket (`/ws`, subprotocol `mcp`): the upgrade checks
// (Origin and Host as for /mcp, the subprotocol offered) and the route table entries.

import GatewayAuth
import Hummingbird
import HummingbirdWebSocket
import HTTPTypes
import Logging
import MCPProtocol
import NIOCore

struct WebSocketEndpoint: Sendable {
    let connections: WebSocketConnectionHandler
    let guardian: StreamableHTTPEndpoint
    let gate: RequestGate
    let logger: Logger

    static let path = "/ws"
    static let subprotocol = "mcp"

    /// A foreign Origin or Host never gets here: WebSocketUpgradeGuard answers it with 403 first
    /// (the check stays as a second line). A refused upgrade here gets hummingbird-websocket's
    /// 400; the reason goes to the log.
    func shouldUpgrade(_ request: Request) -> RouterShouldUpgrade {
        if guardian.guardRequest(request) != nil {
            logger.info("WebSocket upgrade refused: origin or Host not allowed",
                        metadata: ["origin": "\(request.headers.value(.origin) ?? "")"])
            return .dontUpgrade
        }
        guard Self.offersSubprotocol(request.headers[values: .secWebSocketProtocol]) else {
            logger.info("WebSocket upgrade refused: the client did not offer subprotocol '\(Self.subprotocol)'")
            return .dontUpgrade
        }
        return .upgrade([.secWebSocketProtocol: Self.subprotocol])
    }

    static func offersSubprotocol(_ headerValues: [String]) -> Bool {
        headerValues
            .flatMap { $0.split(separator: ",") }
            .contains { $0.filter { $0 != " " && $0 != "\t" } == subprotocol }
    }

    /// A plain GET (no upgrade) says how to connect instead of a bare 404.
    func plainGet(_ request: Request) -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        var headers = HTTPFields()
        headers[.upgrade] = "websocket"
        return HTTPReplies.json(
            JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest,
                                 message: "\(Self.path) is a WebSocket endpoint: upgrade with subprotocol '\(Self.subprotocol)'"),
            status: .upgradeRequired, headers: headers)
    }

    /// The router that decides upgrades (Hummingbird keeps it apart from the HTTP router).
    func upgradeRouter() -> Router<WebSocketRequestContextWithChannel> {
        let router = Router(context: WebSocketRequestContextWithChannel.self)
        router.ws(RouterPath(Self.path)) { request, _ in
            shouldUpgrade(request)
        } onUpgrade: { inbound, outbound, context in
            // WebSocketUpgradeGuard admitted this upgrade already; the caller is decided again
            // here (from the verified-token cache) because that guard cannot hand it over.
            let channel = context.requestContext.channel
            switch await gate.admit(context.request, channel: channel) {
            case .allowed(let principal):
                await connections.serve(inbound: inbound, outbound: outbound, channel: channel, principal: principal)
            case .refused:
                try? await outbound.close(.policyViolation, reason: "not authenticated")
            }
        }
        return router
    }
}

/// The upgrade's request context plus its connection, which a slow reader's overflow closes.
struct WebSocketRequestContextWithChannel: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
