// The pipeline's last step: the operation on the backend (or a capability's tool), the result
// relayed as bytes. The call's deadline (the tool's or the backend's timeout, counted from
// the call's start) bounds every attempt; a failure that `RetryRules` allows is sent again
// after a jittered backoff while the backend's retry budget and the deadline allow. A tool
// call's outcome and latency go to CallUsage and the tool profiles, and every operation's to
// the metrics (each when on).

import GatewayBackends
import GatewayCapabilities
import GatewayConfig
import GatewayProfiles
import GatewayTelemetry
import GatewayTracing
import Logging
import MCPProtocol
import Synchronization

public final class BackendCallStage: Sendable {
    /// The config's part that concerns this step, swapped whole on reload.
    final class Rules: Sendable {
        let retry: RetrySettings?
        let backends: [String: BackendCallRules]
        /// Some backend has per-tool timeouts (otherwise no lookup per call).
        let hasToolTimeouts: Bool

        init(retry: RetrySettings?, backends: [BackendSettings]) {
            self.retry = retry
            var rules: [String: BackendCallRules] = [:]
            for backend in backends { rules[backend.name] = BackendCallRules(settings: backend) }
            self.backends = rules
            hasToolTimeouts = rules.values.contains { !$0.isUniform }
        }
    }

    let pool: BackendPool
    let capabilities: CapabilityCatalog?
    let logger: Logger
    let usage: CallUsage
    let metrics: GatewayMetrics?
    let profiles: ToolProfiles?
    /// A client span per attempt (nil: tracing off).
    let tracer: GatewayTracer?
    /// Draws a backoff's full jitter: random, or fixed in tests that need a known pause.
    let jitter: @Sendable (ClosedRange<Double>) -> Double
    private let rules: Mutex<Rules>

    public init(pool: BackendPool, capabilities: CapabilityCatalog? = nil, retry: RetrySettings? = nil,
                backends: [BackendSettings] = [], usage: CallUsage = CallUsage(), metrics: GatewayMetrics? = nil,
                profiles: ToolProfiles? = nil, tracer: GatewayTracer? = nil, jitter: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
                logger: Logger = Logger(label: "mcp-gateway.call")) {
        self.pool = pool
        self.jitter = jitter
        self.usage = usage
        self.metrics = metrics
        self.profiles = profiles
        self.tracer = tracer
        self.capabilities = capabilities
        self.logger = logger
        rules = Mutex(Rules(retry: retry, backends: backends))
    }

    /// Puts a reloaded config's retry settings and per-backend rules in force for new calls.
    public func update(retry: RetrySettings?, backends: [BackendSettings]) {
        let fresh = Rules(retry: retry, backends: backends)
        rules.withLock { $0 = fresh }
    }

    public func call(_ call: BackendCall) async -> CallOutcome {
        if metrics != nil || profiles != nil { return await measured(call) }
        guard case .tool = call.operation else { return await perform(call, now: .now) }
        let started = MonotonicNanoseconds.now()
        let outcome = await perform(call, now: .now)
        usage.record(call.server, nanoseconds: MonotonicNanoseconds.now() - started, failed: outcome.isFailure)
        return outcome
    }

    /// The call with its time in flight, latency and outcome recorded in the metrics and, for
    /// a tool, in its profile.
    private func measured(_ call: BackendCall) async -> CallOutcome {
        let started = MonotonicNanoseconds.now()
        let tool = call.tool
        let series = metrics?.callSeries(server: call.server, method: call.operation.method, tool: tool)
        series?.started()
        let outcome = await perform(call, now: .now)
        let elapsed = MonotonicNanoseconds.now() - started
        let label = OutcomeLabel.of(outcome, isTool: tool != nil)
        series?.finished(outcome: label, nanoseconds: elapsed)
        if let tool {
            usage.record(call.server, nanoseconds: elapsed, failed: outcome.isFailure)
            var bytesOut = 0
            if case .result(let result) = outcome { bytesOut = result.bytes.count }
            profiles?.record(server: call.server, tool: tool, outcome: OutcomeLabel.profileOutcome(label), nanoseconds: elapsed,
                             bytesIn: call.arguments.count, bytesOut: bytesOut)
        }
        return outcome
    }

    private func perform(_ call: BackendCall, now: ContinuousClock.Instant) async -> CallOutcome {
        if let capabilities, call.server == capabilities.serverName {
            guard let tracer else { return await capabilityCall(call, capabilities) }
            return await ExchangeSpan.runCapability(call, tracer: tracer) { await capabilityCall(call, capabilities) }
        }
        guard let backend = pool.backend(named: call.server) else {
            return .failure(.unreachable("no backend named '\(call.server)'"))
        }
        let rules = self.rules.withLock { $0 }
        var timeout = backend.settings.timeout
        if rules.hasToolTimeouts, let tool = call.backendToolName, let backendRules = rules.backends[call.server] {
            timeout = backendRules.timeout(forTool: tool)
        }
        let deadline = call.startedAt + timeout
        let params = Self.params(of: call)
        if let retry = rules.retry { backend.retryBudget.earn(retry.budget) }
        var attempt = 1
        var now = now
        while true {
            let remaining = deadline - now
            guard remaining > .zero else { return .failure(.timeout(seconds: Self.seconds(timeout))) }
            do throws(BackendAttemptFailure) {
                let reply = try await tracer == nil
                    ? backend.attempt(method: call.operation.method, params: params.isEmpty ? nil : params[...], hooks: call.hooks,
                                      timeout: remaining)
                    : tracedAttempt(call, attempt: attempt, on: backend, params: params, timeout: remaining)
                if let result = reply.resultRaw { return .result(result) }
                return .backendError(reply.errorValue() ?? JSONRPCErrorObject(code: JSONRPCErrorCode.internalError, message: "empty reply"))
            } catch {
                // A timeout is the call's own deadline: say it in the call's terms.
                if case .timeout = error.error { return .failure(.timeout(seconds: Self.seconds(timeout))) }
                guard let retry = rules.retry, attempt < retry.maxAttempts, !Task.isCancelled,
                      RetryRules.allows(error, harmless: await isHarmless(call, on: backend, rules: rules)) else {
                    return .failure(error.error)
                }
                let pause = RetryRules.backoff(after: attempt, settings: retry, random: jitter)
                guard ContinuousClock.now + pause < deadline, backend.retryBudget.spend() else { return .failure(error.error) }
                logger.info("retrying after \(error.error) (attempt \(attempt + 1) of \(retry.maxAttempts))",
                            metadata: ["backend": "\(call.server)", "method": "\(call.operation.method)"])
                do { try await Task.sleep(for: pause) } catch { return .failure(.cancelled) }
                attempt += 1
                now = .now
            }
        }
    }

    /// One attempt in its client span, its trace context sent along. Out of line, so that with
    /// tracing off the attempt's frame stays as it was.
    @inline(never)
    private func tracedAttempt(_ call: BackendCall, attempt: Int, on backend: Backend, params: [UInt8],
                               timeout: Duration) async throws(BackendAttemptFailure) -> JSONRPCMessage {
        guard let tracer else {
            return try await backend.attempt(method: call.operation.method, params: params.isEmpty ? nil : params[...],
                                             hooks: call.hooks, timeout: timeout)
        }
        return try await ExchangeSpan.run(call, tracer: tracer, transport: backend.transportName, attempt: attempt,
                                          details: { backend.sessionDetails }) { () async throws(BackendAttemptFailure) in
            try await backend.attempt(method: call.operation.method, params: params.isEmpty ? nil : params[...],
                                      hooks: call.hooks, timeout: timeout)
        }
    }

    /// Whether running `call` twice is harmless: see RetryRules.
    private func isHarmless(_ call: BackendCall, on backend: Backend, rules: Rules) async -> Bool {
        guard let tool = call.backendToolName else { return RetryRules.isHarmless(call.operation) }
        guard let backendRules = rules.backends[call.server] else { return false }
        if backendRules.isListedIdempotent(tool) { return true }
        guard backendRules.trustAnnotations else { return false }
        return await backend.backendTool(named: tool)?.isIdempotent ?? false
    }

    /// The params the backend is sent: a tool call's name and arguments, else the call's own.
    private static func params(of call: BackendCall) -> [UInt8] {
        guard let tool = call.backendToolName else { return call.arguments }
        var wrapped: [UInt8] = Array("{\"name\":".utf8)
        JSONWriter.writeString(tool, into: &wrapped)
        wrapped.append(contentsOf: ",\"arguments\":".utf8)
        wrapped.append(contentsOf: call.arguments)
        wrapped.append(UInt8(ascii: "}"))
        return wrapped
    }

    /// A capability's tool: its REST call has its own connection retry (GatewayCapabilities).
    private func capabilityCall(_ call: BackendCall, _ capabilities: CapabilityCatalog) async -> CallOutcome {
        guard let tool = call.tool else {
            return .backendError(JSONRPCErrorObject(code: JSONRPCErrorCode.methodNotFound,
                                                    message: "\(call.server) serves tools only (\(call.operation.method))"))
        }
        switch await capabilities.call(tool: tool, arguments: call.arguments) {
        case .result(let result): return .result(result)
        case .unknownTool:
            return .backendError(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "Unknown tool: \(tool)"))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.saturatingNanoseconds) / 1e9
    }
}
