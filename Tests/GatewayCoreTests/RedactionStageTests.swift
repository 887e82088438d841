// The redaction stage on every kind of outcome: results, a backend's JSON-RPC error, a
// transport failure carrying the backend's text; refusals and clean results pass unchanged;
// the log line names kinds and counts, never the value; off in the config, no stage.

import GatewayAuth
import GatewayBackends
import GatewayConfig
@testable import GatewayCore
import GatewayGovernance
import Logging
import MCPProtocol
import Synchronization
import Testing

@Suite struct RedactionStageTests {
    /// An AWS key id, assembled so no full key sits in the source.
    private let key = "AK" + "IA" + "IOSFODNN7EXAMPLE"

    /// Log lines (message and metadata) written during a test.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    struct Capture: Logging.LogHandler {
        let sink: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(fields)") }
        }
    }

    private func stage(_ sink: Lines, secrets: [String] = []) -> RedactionStage {
        RedactionStage(scanner: SecretScanner(gatewaySecrets: secrets), logger: Logger(label: "test") { _ in Capture(sink: sink) })
    }

    private func run(_ stage: RedactionStage, _ outcome: CallOutcome, operation: BackendCall.Operation = .tool("leak")) async -> CallOutcome {
        let call = BackendCall(server: "alpha", operation: operation, principal: .unauthenticated, arguments: Array("{}".utf8))
        return await stage.process(call) { _ in outcome }
    }

    private func result(_ text: String) -> CallOutcome {
        .result(RawJSON(JSONWriter.encode(["content": [["type": "text", "text": .string(text)]]])))
    }

    @Test func resultsAreRedactedAndLoggedWithoutTheValue() async throws {
        let sink = Lines()
        guard case .result(let redacted) = await run(stage(sink), result("id \(key)")) else {
            Issue.record("not a result")
            return
        }
        #expect(redacted.string == #"{"content":[{"type":"text","text":"id [redacted:aws_access_key]"}]}"#)
        #expect(sink.all.count == 1)
        #expect(sink.all[0].contains("redacted credentials from a backend's answer"))
        #expect(sink.all[0].contains("redacted=aws_access_key=1") && sink.all[0].contains("server=alpha")
                && sink.all[0].contains("tool=leak") && sink.all[0].contains("method=tools/call"))
        #expect(!sink.all.joined().contains(key))
    }

    @Test func whatTheBackendSendsDuringTheCallIsRedactedToo() async throws {
        let sink = Lines()
        let seen = Mutex<[String]>([])
        let hooks = RequestHooks(
            onProgress: { params in seen.withLock { $0.append("progress " + JSONWriter.encodeString(params)) } },
            onServerRequest: { method, params in
                seen.withLock { $0.append("\(method) " + (params?.string ?? "")) }
                return .success(RawJSON(string: "{}"))
            },
            onLog: { _, params in seen.withLock { $0.append("log " + (params?.string ?? "")) } })
        let call = BackendCall(server: "alpha", operation: .tool("chatty"), principal: .unauthenticated,
                               arguments: Array("{}".utf8), hooks: hooks)
        let key = key
        _ = await stage(sink).process(call) { inner in
            inner.hooks.onLog?("alpha", RawJSON(string: #"{"level":"info","data":"using \#(key)"}"#))
            inner.hooks.onProgress?(["progressToken": 1, "progress": 1, "message": .string("uploading with \(key)")])
            inner.hooks.onProgress?(["progressToken": 1, "progress": 2, "message": "clean"])
            _ = await inner.hooks.onServerRequest?("elicitation/create", RawJSON(string: #"{"message":"is \#(key) yours?"}"#))
            return .result(RawJSON(string: "{}"))
        }
        let got = seen.withLock { $0 }
        #expect(got == [
            #"log {"level":"info","data":"using [redacted:aws_access_key]"}"#,
            #"progress {"progressToken":1,"progress":1,"message":"uploading with [redacted:aws_access_key]"}"#,
            #"progress {"progressToken":1,"progress":2,"message":"clean"}"#,
            #"elicitation/create {"message":"is [redacted:aws_access_key] yours?"}"#,
        ])
        #expect(sink.all.count == 3)
        #expect(sink.all.contains { $0.contains("backend's log message") } && sink.all.contains { $0.contains("backend's progress message") }
                && sink.all.contains { $0.contains("backend's elicitation/create") })
        #expect(!sink.all.joined().contains(key))
    }

    @Test func hooksAreWrappedOnlyWhereTheBackendCanReachTheClient() {
        let ask: ServerRequestHandler = { _, _ in .success(RawJSON(string: "{}")) }
        #expect(!RedactionStage.needsWrapping(RequestHooks()))
        // A client that declared neither elicitation nor sampling is never asked anything with text.
        #expect(!RedactionStage.needsWrapping(RequestHooks(onServerRequest: ask, clientCapabilities: ["roots": [:]])))
        #expect(RedactionStage.needsWrapping(RequestHooks(onServerRequest: ask, clientCapabilities: ["elicitation": [:]])))
        #expect(RedactionStage.needsWrapping(RequestHooks(onServerRequest: ask)))
        #expect(RedactionStage.needsWrapping(RequestHooks(onLog: { _, _ in })))
        #expect(RedactionStage.needsWrapping(RequestHooks(onProgress: { _ in })))
    }

    @Test func cleanResultsPassAsTheyCame() async {
        let sink = Lines()
        let clean = result("commit 3f786850e387550fdab836ed7e6dc881de23001b")
        guard case .result(let passed) = await run(stage(sink), clean), case .result(let original) = clean else {
            Issue.record("not a result")
            return
        }
        #expect(passed == original)
        #expect(sink.all.isEmpty)
    }

    @Test func everyOperationsResultIsScanned() async {
        let sink = Lines()
        for operation: BackendCall.Operation in [.resourceRead(uri: "test://alpha/credentials"), .prompt("greet"),
                                                 .relayed(method: "completion/complete")] {
            guard case .result(let redacted) = await run(stage(sink), result(key), operation: operation) else {
                Issue.record("not a result")
                continue
            }
            #expect(redacted.string.contains("[redacted:aws_access_key]"))
        }
        #expect(sink.all.count == 3)
        #expect(sink.all[0].contains("uri=test://alpha/credentials") && sink.all[1].contains("prompt=greet"))
    }

    @Test func errorsAndFailuresAreRedacted() async {
        let sink = Lines()
        let own = stage(sink, secrets: ["upstream-password-42"])
        let error = JSONRPCErrorObject(code: -32000, message: "denied for upstream-password-42", data: ["key": .string(key)])
        guard case .backendError(let cleaned) = await run(own, .backendError(error)) else {
            Issue.record("not an error")
            return
        }
        #expect(cleaned.message == "denied for [redacted:gateway_secret]")
        #expect(cleaned.data?["key"]?.stringValue == "[redacted:aws_access_key]")
        guard case .failure(.http(let status, let detail)) = await run(own, .failure(.http(status: 502, detail: "echo: Bearer \(key)abc"))) else {
            Issue.record("not an HTTP failure")
            return
        }
        #expect(status == 502 && detail == "echo: Bearer [redacted:bearer_token]")
        guard case .failure(.remote(let remote)) = await run(own, .failure(.remote(error))) else {
            Issue.record("not a remote failure")
            return
        }
        #expect(remote.message == "denied for [redacted:gateway_secret]")
        guard case .failure(.timeout) = await run(own, .failure(.timeout(seconds: 5))) else {
            Issue.record("a timeout changed")
            return
        }
        let refusal = GovernanceRefusal.limited("rate", retryAfterMs: 10, message: "limited \(key)")
        guard case .refused(let passed) = await run(own, .refused(refusal)) else {
            Issue.record("a refusal changed")
            return
        }
        #expect(passed == refusal)
        #expect(!sink.all.joined().contains("upstream-password-42") && !sink.all.joined().contains(key))
    }

    /// The pipeline runs redaction around all its stages: a stage's own answer and the
    /// backend's are both redacted, and the stage sees the backend's as it came.
    @Test func thePipelineRedactsAroundItsStages() async {
        let sink = Lines()
        let seenByStage = Mutex<String>("")
        struct Peek: CallStage {
            let seen: @Sendable (CallOutcome) -> Void
            func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
                let outcome = await next(call)
                seen(outcome)
                return outcome
            }
        }
        let leaking = result("id \(key)")
        let pipeline = CallPipeline(stages: [Peek { outcome in
            if case .result(let raw) = outcome { seenByStage.withLock { $0 = raw.string } }
        }], redaction: stage(sink), terminal: { _ in leaking })
        #expect(pipeline.redacts && pipeline.stages.count == 1)
        let call = BackendCall(server: "alpha", operation: .tool("leak"), principal: .unauthenticated, arguments: Array("{}".utf8))
        guard case .result(let redacted) = await pipeline.run(call) else {
            Issue.record("not a result")
            return
        }
        #expect(!redacted.string.contains(key) && redacted.string.contains("[redacted:aws_access_key]"))
        #expect(seenByStage.withLock { $0 }.contains(key))
        pipeline.replaceStages([], redaction: nil)
        guard case .result(let plain) = await pipeline.run(call) else { return }
        #expect(plain.string.contains(key))
    }

    @Test func theConfigDecidesWhetherThereIsAStage() {
        let logger = Logger(label: "test")
        #expect(RedactionStage.make(config: GatewayConfig(), logger: logger) != nil)
        let off = GatewayConfig(security: SecuritySettings(firewall: FirewallSettings(credentialRedaction: false)))
        #expect(RedactionStage.make(config: off, logger: logger) == nil)
        let disabled = GatewayConfig(security: SecuritySettings(firewall: FirewallSettings(enabled: false)))
        #expect(RedactionStage.make(config: disabled, logger: logger) == nil)
    }
}
