// `POST {webhooks.base_path}/{id}`: a service's event, checked by WebhookInbox (its HMAC
// signature is the credential, so the route is outside the gateway's auth gate and its
// browser-origin checks; a post without a valid signature is refused). Answers 202 with the
// event's id, or the refusal's status with a JSON body saying why (429 with Retry-After).
// Logged without the body or the signature.

import GatewayCore
import HTTPTypes
import Hummingbird
import Logging
import MCPProtocol

struct WebhookEndpoint: Sendable {
    let inbox: WebhookInbox
    let logger: Logger

    func register(on router: Router<GatewayRequestContext>) {
        router.post(RouterPath(inbox.settings.basePath + "/:id")) { request, context in
            await post(request, id: context.parameters.get("id") ?? "")
        }
    }

    func post(_ request: Request, id: String) async -> Response {
        let limit = inbox.settings.maxBodySize
        let body: [UInt8]
        switch await request.readBody(upTo: limit, tooLarge: { Self.reply(.tooLarge(limit: limit)) }) {
        case .bytes(let bytes): body = bytes
        case .refused(let response):
            logger.notice("webhook refused", metadata: ["endpoint": "\(id)", "reason": "body unreadable or over \(limit) bytes"])
            return response
        }
        let headers = request.headers
        let receipt = inbox.receive(id: id, body: body) { name in HTTPField.Name(name).flatMap { headers[$0] } }
        switch receipt {
        case .accepted(let event):
            logger.info("webhook accepted", metadata: ["endpoint": "\(id)", "event": "\(event)", "bytes": "\(body.count)"])
        default:
            logger.notice("webhook refused", metadata: ["endpoint": "\(id)", "status": "\(receipt.status)", "reason": "\(Self.reason(receipt))"])
        }
        return Self.reply(receipt)
    }

    static func reply(_ receipt: WebhookInbox.Receipt) -> Response {
        var body = JSONObject()
        var headers = HTTPFields()
        if case .accepted(let event) = receipt {
            body["accepted"] = true
            body["event"] = .string(event)
        } else {
            body["error"] = .string(reason(receipt))
        }
        if case .limited(let milliseconds) = receipt { headers[.retryAfter] = String(max(1, (milliseconds + 999) / 1000)) }
        return HTTPReplies.json(JSONWriter.encode(.object(body)), status: HTTPResponse.Status(code: receipt.status), headers: headers)
    }

    static func reason(_ receipt: WebhookInbox.Receipt) -> String {
        switch receipt {
        case .accepted: return "accepted"
        case .unknownEndpoint: return "no such webhook endpoint"
        case .tooLarge(let limit): return "the body is longer than \(limit) bytes (webhooks.max_body_size)"
        case .limited: return "too many posts to this endpoint (webhooks.rate_limit per minute); retry later"
        case .unsigned(let header): return "unsigned: the \(header) header is missing"
        case .badSignature: return "the signature does not match the body"
        case .staleTimestamp: return "the signed timestamp is missing or outside webhooks.replay_window"
        case .replayed: return "this delivery was already accepted"
        }
    }
}
