// The firewall's credential redaction as a call-pipeline stage: every outcome of every
// backend-bound operation (tool results of backends and capabilities, resources/read,
// prompts/get, methods relayed by /mcp/{backend}) and the error messages of backends are
// scanned, each credential replaced with `[redacted:<kind>]` before the client sees it. So is
// what a backend sends the client during the call: its log messages, its progress messages,
// and its requests to the client (elicitation, sampling). A result with nothing found passes
// on as the same bytes. Each redaction is logged with the server, the operation and how many
// of which kind, never the value.
// Absent from the chain when `security.firewall` switches redaction off (nothing per call).

import GatewayBackends
import GatewayConfig
import GatewayGovernance
import Logging
import MCPProtocol

public struct RedactionStage: CallStage {
    let scanner: SecretScanner
    let logger: Logger

    public init(scanner: SecretScanner, logger: Logger) {
        self.scanner = scanner
        self.logger = logger
    }

    /// The stage `config` asks for: nil when `security.firewall` switches redaction off. The
    /// gateway's own secrets (ConfiguredSecrets) are looked for besides the built-in kinds.
    public static func make(config: GatewayConfig, logger: Logger) -> RedactionStage? {
        guard config.security.firewall.redactsCredentials else { return nil }
        return RedactionStage(scanner: SecretScanner(gatewaySecrets: ConfiguredSecrets.values(in: config)), logger: logger)
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        let outcome = await next(redactingHooks(call))
        switch outcome {
        case .result(let result):
            guard let found = scanner.redact(json: result.bytes) else { return outcome }
            report(found.counts, call)
            return .result(RawJSON(found.bytes))
        case .backendError(let error):
            guard let found = scanner.redact(error: error) else { return outcome }
            report(found.counts, call)
            return .backendError(found.error)
        case .failure(let failure):
            guard let (redacted, counts) = redact(failure) else { return outcome }
            report(counts, call)
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

    /// The call with hooks that scan what the backend sends the client before the result:
    /// only the hooks a front end set are wrapped.
    private func redactingHooks(_ call: BackendCall) -> BackendCall {
        var redacting = call
        let hooks = call.hooks
        if let onLog = hooks.onLog {
            redacting.hooks.onLog = { server, params in onLog(server, params.map { redacted($0, call) }) }
        }
        if let onProgress = hooks.onProgress {
            redacting.hooks.onProgress = { params in
                guard case .object = params,
                      let found = scanner.redact(json: JSONWriter.encode(params)),
                      let parsed = try? JSONParser.parse(found.bytes) else { return onProgress(params) }
                report(found.counts, call, what: "progress message")
                onProgress(parsed)
            }
        }
        if let onServerRequest = hooks.onServerRequest {
            redacting.hooks.onServerRequest = { method, params in
                await onServerRequest(method, params.map { redacted($0, call, what: method) })
            }
        }
        return redacting
    }

    private func redacted(_ json: RawJSON, _ call: BackendCall, what: String = "log message") -> RawJSON {
        guard let found = scanner.redact(json: json.bytes) else { return json }
        report(found.counts, call, what: what)
        return RawJSON(found.bytes)
    }

    private func report(_ counts: RedactionCounts, _ call: BackendCall, what: String = "answer") {
        var metadata: Logger.Metadata = [
            "server": .string(call.server),
            "method": .string(call.operation.method),
            "redacted": .string(counts.description),
        ]
        switch call.operation {
        case .tool(let name): metadata["tool"] = .string(name)
        case .resourceRead(let uri), .resourceSubscription(let uri, _): metadata["uri"] = .string(uri)
        case .prompt(let name): metadata["prompt"] = .string(name)
        case .relayed: break
        }
        logger.warning("redacted credentials from a backend's \(what)", metadata: metadata)
    }
}
