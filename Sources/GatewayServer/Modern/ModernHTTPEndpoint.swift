// `/mcp` for 2026-07-28 clients (chosen by the MCP-Protocol-Version header): no sessions;
// every request carries its envelope in `_meta` and mirrors method and name in headers,
// checked here with the era's error codes and HTTP statuses.

import Foundation
import GatewayAuth
import GatewayCore
import Hummingbird
import HTTPTypes
import Logging
import MCPProtocol
import NIOCore

struct ModernHTTPEndpoint: Sendable {
    let gateway: Gateway
    let maxBodySize: Int
    let closedConnections: ClosedConnectionWatch
    /// server.limits.outbound_buffer: unread bytes one stream's client may leave queued.
    let outboundLimit: Int
    let logger: Logger

    static let mcpMethod = HTTPField.Name("Mcp-Method")!
    static let mcpName = HTTPField.Name("Mcp-Name")!

    /// Whether a request belongs to the stateless era: a version header that no handshake era uses.
    static func isModern(_ request: Request) -> Bool {
        isModern(version: request.headers.value(.mcpProtocolVersion))
    }

    static func isModern(version: String?) -> Bool {
        guard let version else { return false }
        return !ProtocolVersion.isSupported(version)
    }

    static func methodNotAllowed() -> Response {
        var headers = HTTPFields()
        headers[.allow] = "POST"
        return HTTPReplies.json(JSONRPCEncoder.error(id: nil, code: JSONRPCErrorCode.invalidRequest,
                                                     message: "2026-07-28 has no GET stream or session to delete; use POST"),
                                status: .methodNotAllowed, headers: headers)
    }

    /// A request checked and ready for its work: what `prepare` found in body and headers.
    struct Call: Sendable {
        let message: JSONRPCMessage
        let params: [JSONScanner.Member]
        let envelope: ModernEra.Envelope
        let method: String
        /// The value of the param that Mcp-Name mirrors (a tool's name, a resource's URI).
        let target: String?
        /// The caller the gate admitted.
        let principal: Principal

        /// The call's channel while nothing but its reply can go out: nothing is ever sent to
        /// its sink.
        var silentChannel: ModernClientChannel { ModernClientChannel(envelope: envelope, principal: principal, frontEnd: .streamableHTTP, sink: { _ in }) }

        /// Whether anything but the reply can go on the call's stream.
        var mayStream: Bool { silentChannel.mayStream(method: method, params: params) }
    }

    enum Preparation {
        /// Answered already: an error, or a notification acknowledged.
        case answered(Response)
        case call(Call)
    }

    /// Content-Type and Accept, checked before the body is read.
    func headerProblem(_ headers: PostHeaders) -> Response? {
        guard AcceptHeader.isJSON(headers.contentType) else {
            return HTTPReplies.rpcError(.unsupportedMediaType, code: JSONRPCErrorCode.invalidRequest, message: "Content-Type must be application/json")
        }
        guard AcceptHeader.lists(headers.accept, both: "application/json", and: "text/event-stream") else {
            return HTTPReplies.rpcError(.notAcceptable, code: JSONRPCErrorCode.invalidRequest,
                                        message: "Accept must list application/json and text/event-stream")
        }
        return nil
    }

    /// Every check of the body and of the headers that mirror it, shared by `post` and the
    /// plain-JSON fast path (PlainPostHandler).
    func prepare(_ headers: PostHeaders, body: [UInt8], principal: Principal) -> Preparation {
        if JSONScanner.isArray(body) {
            return .answered(HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, message: "2026-07-28 has no batches"))
        }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(body)
        } catch {
            return .answered(HTTPReplies.rpcError(.badRequest, code: error.code, message: error.message, id: error.id))
        }
        let headerVersion = headers.protocolVersion ?? ""
        guard headerVersion == ModernEra.version else {
            return .answered(HTTPReplies.json(ModernEra.unsupportedVersion(id: message.id, requested: headerVersion), status: .badRequest))
        }
        switch message.kind {
        case .notification:
            // Cancellation in this era is closing the response stream; nothing else to act on.
            return .answered(HTTPReplies.accepted())
        case .response, .errorResponse:
            return .answered(HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest,
                                                  message: "2026-07-28 servers send no requests, so there is nothing to answer", id: message.id))
        case .request:
            break
        }
        let params = message.paramsMembers
        let envelope: ModernEra.Envelope
        switch ModernEra.envelope(of: message, params: params) {
        case .success(let e): envelope = e
        case .failure(.missing(let what)):
            return .answered(HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidParams, message: "Missing \(what)", id: message.id))
        }
        let method = message.method ?? ""
        // Decoded once for both header checks.
        let nameKey = ModernEra.nameParameter(for: method)
        let target = nameKey.flatMap { key in
            params.first { $0.key == key }.flatMap { JSONScanner.string(in: message.bytes, range: $0.range) }
        }
        if let mismatch = headerMismatch(headers, method: method, nameKey: nameKey, target: target, envelope: envelope) {
            return .answered(HTTPReplies.rpcError(.badRequest, code: ModernEra.ErrorCode.headerMismatch, message: mismatch, id: message.id))
        }
        guard ModernEra.methods.contains(method) else {
            return .answered(HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.methodNotFound, message: "Method not found: \(method)", id: message.id))
        }
        return .call(Call(message: message, params: params, envelope: envelope, method: method, target: target, principal: principal))
    }

    /// A call the fast path may answer: one that can only have a plain JSON reply and needs
    /// no asynchronous check (a tool call is taken only for the meta-tools, which have no
    /// `x-mcp-header` arguments). nil for anything else, which goes to `post`.
    func plainCall(_ headers: PostHeaders, body: [UInt8], principal: Principal) -> Call? {
        guard headerProblem(headers) == nil,
              case .call(let call) = prepare(headers, body: body, principal: principal), call.method != "subscriptions/listen",
              call.method != "tools/call" || call.target.map(MetaToolName.all.contains) == true,
              !call.mayStream
        else { return nil }
        return call
    }

    /// Runs a plain call on the current task (the caller cancels that task if the client leaves).
    func runPlain(_ call: Call) async -> [UInt8]? {
        await gateway.dispatcher.handleModern(call.message, params: call.params, channel: call.silentChannel)
    }

    func post(_ request: Request, headers: PostHeaders, channel connection: (any Channel)? = nil, principal: Principal) async -> Response {
        if let rejected = headerProblem(headers) { return rejected }
        let limit = maxBodySize
        let body: [UInt8]
        switch await request.readBody(upTo: limit, tooLarge: {
            HTTPReplies.rpcError(.contentTooLarge, code: JSONRPCErrorCode.invalidRequest,
                                 message: "Request body exceeds server.max_body_size (\(limit) bytes)")
        }) {
        case .bytes(let bytes): body = bytes
        case .refused(let response): return response
        }
        let call: Call
        switch prepare(headers, body: body, principal: principal) {
        case .answered(let response): return response
        case .call(let prepared): call = prepared
        }
        let (message, params, method) = (call.message, call.params, call.method)
        if method == "subscriptions/listen" {
            // Answered here, not by the dispatcher: the request chain is asked here.
            if let refusal = await gateway.dispatcher.check(IncomingRequest(method: method, principal: principal)) {
                return HTTPReplies.json(JSONRPCEncoder.error(id: message.id, error: refusal))
            }
            return ListenStream(gateway: gateway).open(message, buffer: outboundBuffer(connection), principal: principal)
        }
        if method == "tools/call", let mismatch = await paramHeaderMismatch(request, tool: call.target, message: message, params: params) {
            return HTTPReplies.rpcError(.badRequest, code: ModernEra.ErrorCode.headerMismatch, message: mismatch, id: message.id)
        }
        // In this era closing the response stream is the cancellation: the work is cancelled
        // when the connection goes away (watched while the work runs), when the handler is, or
        // when the stream's reader stops.
        let dispatcher = gateway.dispatcher
        if !call.mayStream {
            // Only the reply can ever go out, so it is plain JSON: run the work right here.
            return await answerInline(connection: connection) { await runPlain(call) }
        }
        let reply = ReplyChannel(onAbandon: nil, buffer: outboundBuffer(connection))
        let channel = call.silentChannel.sending { reply.notification($0) }
        let work = Task {
            reply.finish(await dispatcher.handleModern(message, params: params, channel: channel))
        }
        let watch = closedConnections
        let token = connection.map { watch.watch($0) { work.cancel() } }
        reply.setOnAbandon { work.cancel() }
        let decision = await withTaskCancellationHandler {
            await reply.decision()
        } onCancel: {
            work.cancel()
        }
        switch decision {
        case .json(let bytes):
            // A JSON answer is decided when the work is done.
            if let token { watch.unwatch(token) }
            guard let bytes else { return HTTPReplies.accepted() }
            return HTTPReplies.json(bytes)
        case .stream(let stream):
            if let token { Task { await work.value; watch.unwatch(token) } }
            return HTTPReplies.eventStream(stream, buffer: reply.buffer)
        }
    }

    /// The bound on what this connection's client leaves unread; past it, the connection closes.
    private func outboundBuffer(_ connection: (any Channel)?) -> OutboundBuffer {
        OutboundBuffer(limit: outboundLimit, onOverflow: OutboundBuffer.closing(
            connection, limit: outboundLimit, logger: logger, what: "2026-07-28 event stream", session: nil))
    }

    /// Runs a request that streams nothing on the handler's own task, cancelled if the client
    /// closes the connection meanwhile.
    private func answerInline(connection: (any Channel)?, _ work: () async -> [UInt8]?) async -> Response {
        let watch = closedConnections
        var token: UInt64?
        let bytes = await CurrentTaskCanceller.run(arm: { canceller in
            token = connection.map { watch.watch($0) { canceller.cancel() } }
        }, work)
        if let token { watch.unwatch(token) }
        guard let bytes else { return HTTPReplies.accepted() }
        return HTTPReplies.json(bytes)
    }

    /// A directly listed tool with `x-mcp-header` arguments: the Mcp-Param headers must agree.
    private func paramHeaderMismatch(_ request: Request, tool name: String?, message: JSONRPCMessage,
                                     params members: [JSONScanner.Member]) async -> String? {
        guard let name, !MetaToolName.all.contains(name),
              let map = await gateway.dispatcher.paramHeaderMap(ofExposedTool: name) else { return nil }
        let arguments = members.first { $0.key == "arguments" }.flatMap { try? JSONParser.parse(message.bytes[$0.range]) }
        return ParamHeaderCheck.mismatch(map: map, arguments: arguments, headers: request.headers)
    }

    /// The routing headers must equal the body (spec error -32020); `target` is the value of
    /// the `nameKey` param.
    private func headerMismatch(_ headers: PostHeaders, method: String, nameKey: String?, target: String?,
                                envelope: ModernEra.Envelope) -> String? {
        let methodHeader = headers.mcpMethod
        let nameHeader = headers.mcpName
        guard methodHeader != .several, nameHeader != .several else {
            return "Duplicated Mcp-Method or Mcp-Name header"
        }
        guard methodHeader.value == method else {
            return "Mcp-Method header '\(methodHeader.value ?? "")' does not match the body's method '\(method)'"
        }
        guard envelope.protocolVersion == ModernEra.version else {
            return "MCP-Protocol-Version header and _meta protocolVersion '\(envelope.protocolVersion)' differ"
        }
        if let nameKey {
            let header = nameHeader.value.map(Self.decodeHeaderValue)
            guard header == target else {
                return "Mcp-Name header '\(header ?? "")' does not match params.\(nameKey) '\(target ?? "")'"
            }
        }
        return nil
    }

    /// Header values that are not plain ASCII travel as `=?base64?<UTF-8 bytes>?=`.
    static func decodeHeaderValue(_ value: String) -> String {
        guard value.hasPrefix("=?base64?"), value.hasSuffix("?="),
              let data = Data(base64Encoded: String(value.dropFirst(9).dropLast(2))) else { return value }
        return String(decoding: data, as: UTF8.self)
    }
}
