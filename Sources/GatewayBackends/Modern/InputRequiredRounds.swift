// Multi-round-trip requests from a 2026-07-28 backend: an `input_required` result becomes
// questions to the client behind the call (through the same hook a handshake-era backend's
// elicitation/sampling requests use, so either client era can answer), then the request is
// retried with the answers and the backend's `requestState`, verbatim, under a new id.

import MCPProtocol

enum InputRequiredRounds {
    /// A backend that keeps asking is cut off: each round needs a person or a model.
    static let maximumRounds = 8

    typealias Send = @Sendable (_ params: ArraySlice<UInt8>?) async throws(BackendError) -> JSONRPCMessage

    /// `configuredRoots` (the backend's `roots:` as a `roots/list` result) answers a roots
    /// question without asking the client.
    static func run(method: String, params: ArraySlice<UInt8>?, hooks: RequestHooks, server: String,
                    configuredRoots: RawJSON? = nil, send: Send) async throws(BackendError) -> JSONRPCMessage {
        var current = params
        var round = 0
        while true {
            let reply = try await send(current)
            guard reply.kind == .response, let result = reply.result else { return reply }
            switch ModernResult.read(result) {
            case .complete(nil):
                return reply
            case .complete(let stripped?):
                return (try? JSONRPCMessage.decode(JSONRPCEncoder.result(id: reply.id, result: stripped[...]))) ?? reply
            case .inputRequired(let asked):
                round += 1
                guard round <= maximumRounds else {
                    throw .protocolError("\(server) still asked for input after \(maximumRounds) rounds")
                }
                var answers = JSONObject()
                var forClient = asked.requests
                if let configuredRoots {
                    for request in forClient where request.method == "roots/list" { answers[request.key] = .raw(configuredRoots) }
                    forClient.removeAll { $0.method == "roots/list" }
                }
                if !forClient.isEmpty {
                    guard let ask = hooks.onServerRequest else {
                        let questions = forClient.map(\.method).joined(separator: ", ")
                        throw .remote(JSONRPCErrorObject(code: JSONRPCErrorCode.internalError,
                                                         message: "\(server) asked for input (\(questions)) during \(method), which has no client to ask"))
                    }
                    for request in forClient {
                        switch await ask(request.method, request.params) {
                        case .success(let answer): answers[request.key] = .raw(answer)
                        case .failure(let error): throw .remote(error)
                        }
                    }
                }
                var retry = (params.flatMap { try? JSONParser.parse($0) })?.objectValue ?? JSONObject()
                retry["inputResponses"] = .object(answers)
                retry["requestState"] = asked.requestState.map { .string($0) }
                current = JSONWriter.encode(.object(retry))[...]
            }
        }
    }
}
