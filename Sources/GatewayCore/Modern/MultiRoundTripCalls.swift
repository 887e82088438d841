// 2026-07-28 multi-round-trip tool calls: when a session-era backend asks the client
// something mid-call (elicitation, sampling, roots), the client gets an `input_required`
// result with a sealed `requestState`; its retry carries the answers, which resume the
// backend's still-running call.

import Foundation
import MCPProtocol

struct MultiRoundTripCalls: Sendable {
    let sealer: RequestStateSealer
    let parked: ParkedCalls

    /// A call that answers an earlier `input_required` result.
    static func isRetry(_ members: [JSONScanner.Member]) -> Bool {
        members.contains { $0.key == "requestState" }
    }

    /// `members` are the call's params members (`JSONRPCMessage.paramsMembers`); `run` runs
    /// this message's call with the channel it should talk to.
    func toolsCall(_ message: JSONRPCMessage, params members: [JSONScanner.Member], channel: ModernClientChannel,
                   run: @escaping @Sendable (any ClientChannel) async -> [UInt8]?) async -> [UInt8] {
        let bytes = message.bytes
        let isRetry = Self.isRetry(members)
        // A client that can answer no question never gets `input_required`: nothing to park,
        // so the call runs right here (the common case, and the cheap one).
        if !isRetry && !channel.answersQuestions {
            return await run(channel)
                ?? JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.internalError, message: "the call produced no response")
        }
        let name = members.first { $0.key == "name" }.flatMap { JSONScanner.string(in: bytes, range: $0.range) } ?? ""
        // Needed to check a retry, or to park a call: not for a call that simply finishes.
        let digest = {
            RequestStateSealer.digest(ofArguments: members.first { $0.key == "arguments" }
                .flatMap { try? JSONParser.parse(bytes[$0.range]) })
        }
        let call: ParkedCall
        if isRetry {
            let params = (try? message.paramsValue()) ?? .null
            guard let token = params["requestState"]?.stringValue else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "Invalid or expired requestState")
            }
            guard let claims = sealer.open(token), claims.method == "tools/call", claims.target == name,
                  claims.argumentsDigest == digest(), claims.principal == channel.context.principal.owner,
                  claims.expires >= Int(Date().timeIntervalSince1970) else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "Invalid or expired requestState")
            }
            guard let resumed = parked.take(claims.handle) else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams,
                                            message: "Invalid or expired requestState: the call is no longer waiting")
            }
            call = resumed
            call.setSink(channel.sink)
            let responses = params["inputResponses"]?.objectValue ?? JSONObject()
            for key in call.openQuestions {
                if let response = responses[key] {
                    _ = call.answer(key, with: .success(RawJSON(JSONWriter.encode(response))))
                } else {
                    _ = call.answer(key, with: .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams,
                                                                           message: "no inputResponses entry for \(key)")))
                }
            }
        } else {
            call = ParkedCall()
            call.setSink(channel.sink)
            let callChannel = ParkedCallChannel(context: channel.context, call: call)
            call.setTask(Task {
                let reply = await run(callChannel)
                call.post(.finished(reply ?? []))
            })
        }
        // Cancelled while the client waits (stdio/WebSocket `notifications/cancelled`, or an HTTP
        // client closing its stream): the backend call is cancelled too. A parked call is not
        // waited on, so parking is unaffected.
        let event = await withTaskCancellationHandler {
            await call.next()
        } onCancel: {
            call.abandon()
        }
        if Task.isCancelled {
            return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.requestCancelled, message: "cancelled")
        }
        switch event {
        case .finished(let reply):
            return Self.reidentify(reply, as: message.id)
        case .input(let key, let method, let inputParams):
            var requests = JSONObject()
            requests[key] = Self.inputRequest(method, inputParams)
            for case .input(let other, let otherMethod, let otherParams) in call.drainQueuedInputs() {
                requests[other] = Self.inputRequest(otherMethod, otherParams)
            }
            parked.park(call, for: sealer.lifetime)
            let claims = RequestStateSealer.Claims(handle: call.id, method: "tools/call", target: name, argumentsDigest: digest(),
                                                   principal: channel.context.principal.owner, expires: sealer.expiry())
            guard let state = sealer.seal(claims) else {
                call.abandon()
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.internalError, message: "could not seal requestState")
            }
            return JSONRPCEncoder.result(id: message.id, result: [
                "resultType": "input_required",
                "inputRequests": .object(requests),
                "requestState": .string(state),
            ])
        }
    }

    static func inputRequest(_ method: String, _ params: RawJSON?) -> JSONValue {
        var request = JSONObject()
        request["method"] = .string(method)
        request["params"] = params.map { .raw($0) } ?? .object(JSONObject())
        return .object(request)
    }

    /// The first round's response, answered under the retry's id.
    static func reidentify(_ reply: [UInt8], as id: JSONRPCID?) -> [UInt8] {
        guard let decoded = try? JSONRPCMessage.decode(reply) else {
            return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.internalError, message: "the call produced no response")
        }
        if let result = decoded.result { return JSONRPCEncoder.result(id: id, result: result) }
        return JSONRPCEncoder.errorRaw(id: id, error: decoded.error ?? Array("{}".utf8)[...])
    }
}
