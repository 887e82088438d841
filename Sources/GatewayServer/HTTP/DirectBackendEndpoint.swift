// `/mcp/{backend}`: one backend behind the gateway's HTTP front end, its methods relayed with
// the gateway's own request ids, for clients that want that server's own tool list. The
// backend session is shared by every client, so nothing a client sends reaches it raw:
// notifications are mapped or dropped (DirectClientMessages) and cancellation names the
// client's own requests, within its own session.

import GatewayBackends
import GatewayAuth
import GatewayCore
import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOCore
import ToolSearch

struct DirectBackendEndpoint: Sendable {
    let gateway: Gateway
    let guardian: StreamableHTTPEndpoint
    /// Sessions minted by `initialize` on this endpoint (apart from /mcp's: they carry no
    /// notification streams). A session is what lets a client cancel its own requests.
    let sessions: SessionStore

    func post(_ request: Request, backendName: String, principal: Principal) async -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        guard AcceptHeader.isJSON(request.headers.value(.contentType)) else {
            return HTTPReplies.rpcError(.unsupportedMediaType, code: JSONRPCErrorCode.invalidRequest, message: "Content-Type must be application/json")
        }
        if let problem = NameLengthLimit.problem(backendName, what: "backend name", limit: guardian.limits.maxNameLength) {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, message: problem)
        }
        guard let backend = backend(named: backendName, for: principal) else { return unknownBackend(backendName, for: principal) }
        let body: [UInt8]
        switch await request.readBody(upTo: guardian.maxBodySize, tooLarge: {
            HTTPReplies.rpcError(.contentTooLarge, code: JSONRPCErrorCode.invalidRequest, message: "Request body too large")
        }) {
        case .bytes(let bytes): body = bytes
        case .refused(let response): return response
        }
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(body)
        } catch {
            return HTTPReplies.rpcError(.badRequest, code: error.code, message: error.message, id: error.id)
        }
        // Requests answered here pass the request chain here; the relayed ones in the dispatcher.
        if message.kind == .request, message.method == "initialize" {
            if let refusal = await refusal(of: "initialize", backendName: backendName, principal: principal) {
                return HTTPReplies.json(JSONRPCEncoder.error(id: message.id, error: refusal))
            }
            return await initialize(message, backend: backend, principal: principal)
        }
        // No session header: an anonymous caller, served as before, whose requests nobody
        // (itself included) can cancel. An unknown session is an error, as on /mcp.
        var session: ClientSession?
        if let id = request.headers.value(.mcpSessionID), !id.isEmpty {
            guard let known = sessions.session(id, for: principal) else {
                return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest,
                                            message: "Session not found: it expired or was deleted; initialize again")
            }
            session = known
        }
        guard message.kind == .request, let method = message.method else {
            DirectClientMessages.handle(message, session: session)
            return HTTPReplies.accepted()
        }
        if let local = DirectClientMessages.localAnswer(method: method, id: message.id) {
            if let refusal = await refusal(of: method, backendName: backendName, principal: principal) {
                return HTTPReplies.json(JSONRPCEncoder.error(id: message.id, error: refusal))
            }
            return HTTPReplies.json(local)
        }
        let params = DirectClientMessages.params(withoutProgressToken: message)
        // The call has a client (so a backend question during it is never put to another
        // client) but nothing to answer questions or take log messages with.
        let hooks = RequestHooks(client: "direct-" + (session?.id ?? ClientSession.mintID()))
        let dispatcher = gateway.dispatcher
        let origin = CallOrigin(frontEnd: .direct, protocolVersion: session?.context.protocolVersion
                                    ?? request.headers.value(.mcpProtocolVersion) ?? ProtocolVersion.latest)
        guard let session, let id = message.id else {
            return HTTPReplies.json(await dispatcher.relay(message, method: method, params: params, to: backendName,
                                                           hooks: hooks, principal: principal, origin: origin))
        }
        // Registered under the client's own id in its own session: `notifications/cancelled`
        // from that session cancels this task, and the backend is told under its own id.
        let task = Task {
            await dispatcher.relay(message, method: method, params: params, to: backendName, hooks: hooks, principal: principal,
                                   origin: origin)
        }
        session.inflight.register(id) { task.cancel() }
        let reply = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        session.inflight.finished(id)
        // A cancelled request gets no response (the spec), as on /mcp.
        return task.isCancelled ? HTTPReplies.accepted() : HTTPReplies.json(reply)
    }

    /// The request chain's verdict on a request this endpoint answers itself.
    private func refusal(of method: String, backendName: String, principal: Principal) async -> JSONRPCErrorObject? {
        await gateway.dispatcher.check(IncomingRequest(method: method, principal: principal, directServer: backendName))
    }

    /// GET: this endpoint offers no notification stream (the spec's 405).
    func get(_ request: Request) -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        return HTTPReplies.rpcError(.methodNotAllowed, code: JSONRPCErrorCode.invalidRequest,
                                    message: "/mcp/{backend} has no notification stream; use /mcp for notifications")
    }

    /// DELETE ends a session of this endpoint (its requests in flight are cancelled).
    func delete(_ request: Request, principal: Principal) async -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        guard let id = request.headers.value(.mcpSessionID), !id.isEmpty else {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, message: "Mcp-Session-Id header is required")
        }
        guard await sessions.end(id, for: principal) else {
            return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest, message: "Session not found")
        }
        return Response(status: .noContent)
    }

    /// A backend the caller's scopes hide does not exist for it.
    private func backend(named name: String, for principal: Principal) -> Backend? {
        guard gateway.access.access(for: principal).isVisible(.server(name)) else { return nil }
        return gateway.pool.backend(named: name)
    }

    private func unknownBackend(_ name: String, for principal: Principal) -> Response {
        let access = gateway.access.access(for: principal)
        let names = gateway.pool.names.filter { access.isVisible(.server($0)) }
        let close = NameSuggester.suggestions(for: name, among: names, limit: 3)
        let hint = close.isEmpty ? "" : " Did you mean: \(close.joined(separator: ", "))?"
        return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest, message: "Unknown backend '\(name)'.\(hint)")
    }

    /// The gateway already holds an initialized session with the backend; the client gets
    /// that server's identity and capabilities under the version it asked for, and a session
    /// of its own (Mcp-Session-Id) under which it can cancel its requests.
    private func initialize(_ message: JSONRPCMessage, backend: Backend, principal: Principal) async -> Response {
        do {
            let backendSession = try await backend.liveSession()
            let params = try? message.paramsValue()
            let version = ProtocolVersion.negotiate(requested: params?["protocolVersion"]?.stringValue)
            var result = JSONObject()
            result["protocolVersion"] = .string(version)
            result["capabilities"] = backendSession.capabilities.map { .raw($0) } ?? .object(JSONObject())
            result["serverInfo"] = backendSession.serverInfo.map { .raw($0) } ?? MCPDispatcher.serverInfo
            if let instructions = backendSession.instructions { result["instructions"] = .string(instructions) }
            guard let session = sessions.create(context: ClientContext(principal: principal, protocolVersion: version,
                                                                   capabilities: params?["capabilities"], frontEnd: .direct)) else {
                return sessions.budget.refusal(id: message.id)
            }
            var headers = HTTPFields()
            headers[.mcpSessionID] = session.id
            return HTTPReplies.json(JSONRPCEncoder.result(id: message.id, result: .object(result)), headers: headers)
        } catch {
            return HTTPReplies.json(JSONRPCEncoder.error(id: message.id, error: error.rpcError))
        }
    }
}
