// The firewall's credential redaction around the call pipeline: every outcome of every
// backend-bound operation (tool results of backends and capabilities, resources/read,
// prompts/get, methods relayed by /mcp/{backend}) and the error messages of backends are
// scanned, each credential replaced with `[redacted:<kind>]` before the client sees it. So is
// what a backend sends the client during the call: its log messages, its progress messages,
// and its requests to the client (elicitation, sampling). A result with nothing found passes
// on as the same bytes. Each redaction is logged with the server, the operation and how many
// of which kind, never the value.
// Absent when `security.firewall` switches redaction off (nothing per call). The pipeline runs
// it around its stages (`prepare`, `finish`) rather than as one of them: a stage costs an async
// frame and a closure per call (~4–5k instructions), and redaction, on by default, needs neither.
// On the call path the stage copies the call only to wrap hooks a front end set, and wraps
// the backend-request hook only for clients that can be asked anything that carries text
// (elicitation, sampling): measured per relayed call, the wrapper closures were most of the
// stage's cost (callgrind, BENCHMARKS.md).

import GatewayBackends
import GatewayConfig
import GatewayGovernance
import Logging
import MCPProtocol

public struct RedactionStage: CallStage {
    /// One reference for the hooks' closures to capture (the scanner holds several tables).
    final class Redactor: Sendable {
        let scanner: SecretScanner
        let logger: Logger

        init(scanner: SecretScanner, logger: Logger) {
            self.scanner = scanner
            self.logger = logger
        }
    }

    let redactor: Redactor
    var scanner: SecretScanner { redactor.scanner }

    public init(scanner: SecretScanner, logger: Logger) {
        redactor = Redactor(scanner: scanner, logger: logger)
    }

    /// The stage `config` asks for: nil when `security.firewall` switches redaction off. The
    /// gateway's own secrets (ConfiguredSecrets) are looked for besides the built-in kinds.
    public static func make(config: GatewayConfig, logger: Logger) -> RedactionStage? {
        guard config.security.firewall.redactsCredentials else { return nil }
        return RedactionStage(scanner: SecretScanner(gatewaySecrets: ConfiguredSecrets.values(in: config)), logger: logger)
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        finish(await next(prepare(call)), of: call)
    }

    /// Before the call: hooks that scan what the backend sends the client during it.
    func prepare(_ call: BackendCall) -> BackendCall {
        Self.needsWrapping(call.hooks) ? redactingHooks(call) : call
    }

    /// After the call: its outcome with every credential replaced.
    func finish(_ outcome: CallOutcome, of call: BackendCall) -> CallOutcome {
        switch outcome {
        case .result(let result):
            guard let found = scanner.redact(json: result.bytes) else { return outcome }
            redactor.report(found.counts, server: call.server, operation: call.operation)
            return .result(RawJSON(found.bytes))
        case .backendError(let error):
            guard let found = scanner.redact(error: error) else { return outcome }
            redactor.report(found.counts, server: call.server, operation: call.operation)
            return .backendError(found.error)
        case .failure(let failure):
            guard let (redacted, counts) = redact(failure) else { return outcome }
            redactor.report(counts, server: call.server, operation: call.operation)
            return .failure(redacted)
        case .refused:
            return outcome
        }
    }

    /// Failures carry text from the backend too: its JSON-RPC error, an HTTP error body, a
    /// message from the transport.
    private func redact(_ failure: BackendError) -> (BackendError, RedactionCounts)? {
        func text(_ value: String, _ make: (String) -> BackendError) -> (BackendError, RedactionCounts)? {
            scanner.redact(text: value).map { (make($0.text), $0.counts) }
        }
        switch failure {
        case .remote(let error): return scanner.redact(error: error).map { (.remote($0.error), $0.counts) }
        case .http(let status, let detail): return text(detail) { .http(status: status, detail: $0) }
        case .spawnFailed(let message): return text(message) { .spawnFailed($0) }
        case .closed(let message): return text(message) { .closed($0) }
        case .protocolError(let message): return text(message) { .protocolError($0) }
        case .unreachable(let message): return text(message) { .unreachable($0) }
        case .timeout, .sessionExpired, .cancelled, .disabled: return nil
        }
    }

    /// Whether the backend can send this call's client anything through its hooks: log or
    /// progress messages, or questions a client that declared elicitation or sampling answers
    /// (a client without them gets an error from the gateway, with nothing of the backend's).
    static func needsWrapping(_ hooks: RequestHooks) -> Bool {
        hooks.onLog != nil || hooks.onProgress != nil || hooks.onServerRequest != nil && asksWithText(hooks.clientCapabilities)
    }

    static func asksWithText(_ capabilities: JSONValue?) -> Bool {
        // No capabilities known (not a client's call): wrap, to be safe.
        guard case .object(let declared)? = capabilities else { return true }
        return declared["elicitation"] != nil || declared["sampling"] != nil
    }

    /// The call with hooks that scan what the backend sends the client before the result:
    /// only the hooks a front end set are wrapped.
    private func redactingHooks(_ call: BackendCall) -> BackendCall {
        var redacting = call
        let hooks = call.hooks
        let (redactor, server, operation) = (redactor, call.server, call.operation)
        if let onLog = hooks.onLog {
            redacting.hooks.onLog = { logServer, params in
                onLog(logServer, params.map { redactor.redacted($0, server: server, operation: operation, what: "log message") })
            }
        }
        if let onProgress = hooks.onProgress {
            redacting.hooks.onProgress = { params in
                guard case .object = params,
                      let found = redactor.scanner.redact(json: JSONWriter.encode(params)),
                      let parsed = try? JSONParser.parse(found.bytes) else { return onProgress(params) }
                redactor.report(found.counts, server: server, operation: operation, what: "progress message")
                onProgress(parsed)
            }
        }
        if let onServerRequest = hooks.onServerRequest, Self.asksWithText(hooks.clientCapabilities) {
            redacting.hooks.onServerRequest = { method, params in
                await onServerRequest(method, params.map { redactor.redacted($0, server: server, operation: operation, what: method) })
            }
        }
        return redacting
    }
}

extension RedactionStage.Redactor {
    func redacted(_ json: RawJSON, server: String, operation: BackendCall.Operation, what: String) -> RawJSON {
        guard let found = scanner.redact(json: json.bytes) else { return json }
        report(found.counts, server: server, operation: operation, what: what)
        return RawJSON(found.bytes)
    }

    func report(_ counts: RedactionCounts, server: String, operation: BackendCall.Operation, what: String = "answer") {
        var metadata: Logger.Metadata = [
            "server": .string(server),
            "method": .string(operation.method),
            "redacted": .string(counts.description),
        ]
        switch operation {
        case .tool(let name): metadata["tool"] = .string(name)
        case .resourceRead(let uri), .resourceSubscription(let uri, _): metadata["uri"] = .string(uri)
        case .prompt(let name): metadata["prompt"] = .string(name)
        case .relayed: break
        }
        logger.warning("redacted credentials from a backend's \(what)", metadata: metadata)
    }
}
