// `/mcp/{backend}`: one backend behind the gateway's HTTP front end, any JSON-RPC method
// relayed (ids remapped), for clients that want that server's own tool list.

import GatewayBackends
import GatewayCore
import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOCore
import ToolSearch

struct DirectBackendEndpoint: Sendable {
    let gateway: Gateway
    let guardian: StreamableHTTPEndpoint

    func post(_ request: Request, backendName: String) async -> Response {
        if let rejected = guardian.guardRequest(request) { return rejected }
        guard AcceptHeader.isJSON(request.headers.value(.contentType)) else {
            return HTTPReplies.rpcError(.unsupportedMediaType, code: JSONRPCErrorCode.invalidRequest, message: "Content-Type must be application/json")
        }
        if let problem = NameLengthLimit.problem(backendName, what: "backend name", limit: guardian.limits.maxNameLength) {
            return HTTPReplies.rpcError(.badRequest, code: JSONRPCErrorCode.invalidRequest, message: problem)
        }
        guard let backend = gateway.pool.backend(named: backendName) else {
            let close = NameSuggester.suggestions(for: backendName, among: gateway.pool.names, limit: 3)
            let hint = close.isEmpty ? "" : " Did you mean: \(close.joined(separator: ", "))?"
            return HTTPReplies.rpcError(.notFound, code: JSONRPCErrorCode.invalidRequest, message: "Unknown backend '\(backendName)'.\(hint)")
        }
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
        guard message.kind == .request, let method = message.method else {
            if message.kind == .notification, let method = message.method, method != "notifications/initialized" {
                try? await backend.liveSession().connection.notify(method: method, params: message.params)
            }
            return HTTPReplies.accepted()
        }
        if method == "initialize" {
            return await initialize(message, backend: backend)
        }
        do {
            let reply = try await backend.request(method: method, params: message.params)
            if let result = reply.result {
                return HTTPReplies.json(JSONRPCEncoder.result(id: message.id, result: result))
            }
            return HTTPReplies.json(JSONRPCEncoder.errorRaw(id: message.id, error: reply.error ?? Array("{}".utf8)[...]))
        } catch {
            return HTTPReplies.json(JSONRPCEncoder.error(id: message.id, error: error.rpcError))
        }
    }

    /// The gateway already holds an initialized session with the backend; the client gets
    /// that server's identity and capabilities under the version it asked for.
    private func initialize(_ message: JSONRPCMessage, backend: Backend) async -> Response {
        do {
            let session = try await backend.liveSession()
            let requested = (try? message.paramsValue())?["protocolVersion"]?.stringValue
            var result = JSONObject()
            result["protocolVersion"] = .string(ProtocolVersion.negotiate(requested: requested))
            result["capabilities"] = session.capabilities.map { .raw($0) } ?? .object(JSONObject())
            result["serverInfo"] = session.serverInfo.map { .raw($0) } ?? MCPDispatcher.serverInfo
            if let instructions = session.instructions { result["instructions"] = .string(instructions) }
            return HTTPReplies.json(JSONRPCEncoder.result(id: message.id, result: .object(result)))
        } catch {
            return HTTPReplies.json(JSONRPCEncoder.error(id: message.id, error: error.rpcError))
        }
    }
}
