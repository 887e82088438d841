// The limit and budget stages in the call pipeline: a limited call never reaches the next
// stage; a budget charge is refunded when the call never reached its backend (refused later,
// backend unreachable) and kept for a result or a tool error; `notify` alerts reach the
// caller through the call's log hook; spending is saved beside the catalog cache and read
// back; `Retry-After` is found only in a single `limited` error.

import Foundation
import GatewayAuth
import GatewayBackends
import GatewayConfig
import GatewayCore
import GatewayGovernance
import Logging
import MCPProtocol
import Synchronization
import Testing
@testable import GatewayServer

private final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

private final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite struct LimitAndBudgetStageTests {
    let ci = Principal(name: "ci", method: .apiKey, isAdmin: false)
    let logger = Logger(label: "test")

    private func call(_ tool: String, hooks: RequestHooks = RequestHooks()) -> BackendCall {
        BackendCall(server: "fs", tool: tool, principal: ci, arguments: Array("{}".utf8), hooks: hooks)
    }

    private func config(cost: Double, daily: Double) -> GatewayConfig {
        var config = GatewayConfig(backends: [BackendSettings(name: "fs", transport: .stdio(command: ["x"]))])
        config.costGovernance = CostGovernanceSettings(toolCosts: [("fs:*", cost)], principalBudget: .init(daily: daily))
        return config
    }

    @Test func aLimitedCallNeverReachesTheNextStage() async {
        var config = GatewayConfig(backends: [BackendSettings(name: "fs", transport: .stdio(command: ["x"]))])
        config.auth.apiKeys = [APIKeySettings(name: "ci", key: "k-ci-0123456789abcdef", rules: PrincipalRuleSettings(rateLimitPerMinute: 1))]
        let stages = LimitAndBudgetStages(config: config, logger: logger, catalogCachePath: nil)
        #expect(stages.stages.count == 1)
        let reached = Counter()
        let pipeline = CallPipeline(stages: stages.stages, terminal: { _ in
            reached.add()
            return .result(RawJSON(string: "{}"))
        })
        guard case .result = await pipeline.run(call("read")) else {
            Issue.record("the first call passes")
            return
        }
        guard case .refused(let refusal) = await pipeline.run(call("read")) else {
            Issue.record("the second is limited")
            return
        }
        #expect(refusal.error.code == GovernanceErrorCode.limited)
        #expect(reached.value == 1)
        // No limit and no budget: no stage at all.
        #expect(LimitAndBudgetStages(config: GatewayConfig(), logger: logger, catalogCachePath: nil).stages.isEmpty)
    }

    @Test func chargesAreRefundedWhenTheCallNeverReachedItsBackend() async {
        let stages = LimitAndBudgetStages(config: config(cost: 1, daily: 10), logger: logger, catalogCachePath: nil)
        let outcomes: [CallOutcome] = [
            .result(RawJSON(string: "{}")), .backendError(JSONRPCErrorObject(code: -1, message: "tool failed")),
            .failure(.unreachable("down")), .refused(.limited("x", retryAfterMs: 1, message: "x")),
        ]
        for outcome in outcomes {
            let pipeline = CallPipeline(stages: stages.stages, terminal: { _ in outcome })
            _ = await pipeline.run(call("write"))
        }
        #expect(stages.ledger.spending(of: ci)?.daySpent == 2)
    }

    @Test func notifyAlertsReachTheCallerThroughItsLogHook() async throws {
        let stages = LimitAndBudgetStages(config: config(cost: 4, daily: 5), logger: logger, catalogCachePath: nil)
        let sent = Lines()
        let hooks = RequestHooks(onLog: { _, params in
            sent.append(params.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "")
        })
        let pipeline = CallPipeline(stages: stages.stages, terminal: { _ in .result(RawJSON(string: "{}")) })
        _ = await pipeline.run(call("write", hooks: hooks))
        let messages = sent.all
        #expect(messages.count == 1)
        let parsed = try JSONParser.parse(Array(messages[0].utf8))
        #expect(parsed["level"] == .string("warning"))
        #expect(parsed["logger"] == .string("mcp-gateway/budget"))
        #expect(parsed["data"] == .string("daily budget of key 'ci' (5 USD) crossed 80%: 4 of 5 USD spent (80%)"))
        guard case .refused(let refusal) = await pipeline.run(call("write", hooks: hooks)) else {
            Issue.record("the budget blocks the next call")
            return
        }
        #expect(refusal.error.code == GovernanceErrorCode.budgetExhausted)
    }

    @Test func spendingIsSavedBesideTheCatalogCacheAndReadBack() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = directory + "/catalog-0123456789abcdef.json"
        #expect(BudgetStore.path(besideCatalog: catalog) == directory + "/budgets-0123456789abcdef.json")
        let first = LimitAndBudgetStages(config: config(cost: 1, daily: 10), logger: logger, catalogCachePath: catalog)
        let pipeline = CallPipeline(stages: first.stages, terminal: { _ in .result(RawJSON(string: "{}")) })
        for _ in 0..<3 { _ = await pipeline.run(call("write")) }
        first.save()
        let text = try String(contentsOfFile: directory + "/budgets-0123456789abcdef.json", encoding: .utf8)
        #expect(text.contains("\"daySpent\":3"))
        let second = LimitAndBudgetStages(config: config(cost: 1, daily: 10), logger: logger, catalogCachePath: catalog)
        #expect(second.ledger.spending(of: ci)?.daySpent == 3)
    }

    @Test func reloadsChangeLimitsAndBudgetsInPlace() async {
        var limited = config(cost: 1, daily: 1)
        limited.auth.apiKeys = [APIKeySettings(name: "ci", key: "k-ci-0123456789abcdef", rules: PrincipalRuleSettings(rateLimitPerMinute: 1))]
        let stages = LimitAndBudgetStages(config: limited, logger: logger, catalogCachePath: nil)
        let pipeline = CallPipeline(stages: stages.stages, terminal: { _ in .result(RawJSON(string: "{}")) })
        guard case .result = await pipeline.run(call("write")) else {
            Issue.record("the first call passes")
            return
        }
        guard case .refused = await pipeline.run(call("write")) else {
            Issue.record("limited and spent")
            return
        }
        // A reload without limits or budgets: the same pipeline lets everything through.
        stages.update(config: GatewayConfig(backends: limited.backends))
        #expect(stages.stages.isEmpty)
        for _ in 0..<3 {
            guard case .result = await pipeline.run(call("write")) else {
                Issue.record("no limit and no budget any more")
                return
            }
        }
        // A gateway started without them gets both stages from the reload, budget first.
        let bare = LimitAndBudgetStages(config: GatewayConfig(), logger: logger, catalogCachePath: nil)
        #expect(bare.stages.isEmpty)
        bare.update(config: limited)
        #expect(bare.stages.map { String(describing: type(of: $0)) } == ["BudgetStage", "LimitStage"])
        let rebuilt = CallPipeline(stages: bare.stages, terminal: { _ in .result(RawJSON(string: "{}")) })
        guard case .result = await rebuilt.run(call("write")), case .refused = await rebuilt.run(call("write")) else {
            Issue.record("the reloaded limits apply")
            return
        }
    }

    @Test func retryAfterOnlyForASingleLimitedError() {
        let limited = JSONRPCEncoder.error(id: .int(4), error: GovernanceRefusal.limited("rate_limit", retryAfterMs: 1200, message: "m").error)
        #expect(LimitRetryAfter.seconds(in: limited) == 2)
        let stringID = JSONRPCEncoder.error(id: .string("a\\\"b,\"error\""), error: GovernanceRefusal.limited("x", retryAfterMs: 5, message: "m").error)
        #expect(LimitRetryAfter.seconds(in: stringID) == 1)
        #expect(LimitRetryAfter.seconds(in: JSONRPCEncoder.error(id: .int(1), code: -32000, message: "other")) == nil)
        #expect(LimitRetryAfter.seconds(in: JSONRPCEncoder.result(id: .int(1), result: Array("{\"code\":-32029}".utf8)[...])) == nil)
        #expect(LimitRetryAfter.seconds(in: Array("[]".utf8)) == nil)
    }
}
