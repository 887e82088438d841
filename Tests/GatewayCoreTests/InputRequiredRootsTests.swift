// A 2026-07-28 backend's input_required rounds with configured roots: a roots question is
// answered from the backend's `roots:` without a client (none is needed), while any other
// question still needs the client behind the call, and fails clearly without one.

import MCPProtocol
import Synchronization
import Testing
@testable import GatewayBackends

@Suite struct InputRequiredRootsTests {
    static let asked = #"{"resultType":"input_required","requestState":"s1","inputRequests":{"where":{"method":"roots/list"}}}"#
    static let askedBoth = #"{"resultType":"input_required","inputRequests":{"where":{"method":"roots/list"},"model":{"method":"sampling/createMessage","params":{}}}}"#
    static let roots = RawJSON(string: #"{"roots":[{"uri":"file:///srv/app"}]}"#)

    /// A backend that asks once with `first`, then completes; the retry's params are kept.
    final class ScriptedBackend: Sendable {
        let first: String
        let retries = Mutex<[JSONValue]>([])
        init(first: String) { self.first = first }

        func send(_ params: ArraySlice<UInt8>?) throws(BackendError) -> JSONRPCMessage {
            let isRetry = params.flatMap { try? JSONParser.parse($0) }?["inputResponses"] != nil
            if isRetry, let params, let parsed = try? JSONParser.parse(params) { retries.withLock { $0.append(parsed) } }
            let result = isRetry ? #"{"content":[]}"# : first
            do {
                return try JSONRPCMessage.decode(Array(#"{"jsonrpc":"2.0","id":1,"result":\#(result)}"#.utf8))
            } catch {
                throw .protocolError("test reply did not decode")
            }
        }
    }

    @Test func aRootsQuestionIsAnsweredFromTheConfigurationWithoutAClient() async throws {
        let backend = ScriptedBackend(first: Self.asked)
        let reply = try await InputRequiredRounds.run(method: "tools/call", params: Array(#"{"name":"t"}"#.utf8)[...],
                                                      hooks: RequestHooks(), server: "files",
                                                      configuredRoots: Self.roots) { params throws(BackendError) in
            try backend.send(params)
        }
        #expect(reply.kind == .response)
        let retry = try #require(backend.retries.withLock { $0.first })
        #expect(retry["inputResponses"]?["where"]?["roots"]?.arrayValue?.first?["uri"]?.stringValue == "file:///srv/app")
        #expect(retry["requestState"]?.stringValue == "s1")
        #expect(retry["name"]?.stringValue == "t")
    }

    @Test func otherQuestionsStillNeedAClient() async {
        let backend = ScriptedBackend(first: Self.askedBoth)
        do {
            _ = try await InputRequiredRounds.run(method: "tools/call", params: nil, hooks: RequestHooks(), server: "files",
                                                  configuredRoots: Self.roots) { params throws(BackendError) in
                try backend.send(params)
            }
            Issue.record("a sampling question without a client must fail")
        } catch {
            #expect("\(error)".contains("sampling/createMessage"))
            #expect(!"\(error)".contains("roots/list"))
        }
    }

    @Test func withoutConfiguredRootsARootsQuestionNeedsAClient() async {
        let backend = ScriptedBackend(first: Self.asked)
        do {
            _ = try await InputRequiredRounds.run(method: "tools/call", params: nil, hooks: RequestHooks(), server: "files") {
                params throws(BackendError) in try backend.send(params)
            }
            Issue.record("a roots question without a client or configured roots must fail")
        } catch {
            #expect("\(error)".contains("no client to ask"))
        }
    }
}
