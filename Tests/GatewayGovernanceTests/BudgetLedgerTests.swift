// Budgets: costs per tool glob, spending per principal and per tool glob, UTC day and month
// periods, alerts once per threshold per period, blocking, refunds and saved state.

import GatewayAuth
import GatewayConfig
import GatewayGovernance
import Synchronization
import Testing

/// Wall-clock seconds the test moves.
final class ManualWallClock: Sendable {
    let seconds: Mutex<Double>
    init(_ start: Double) { seconds = Mutex(start) }
    func set(_ value: Double) { seconds.withLock { $0 = value } }
    var read: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
}

@Suite struct BudgetLedgerTests {
    /// 2026-12-06T10:00:00Z.
    let start = 1_796_551_200.0
    let ci = Principal(name: "ci", method: .apiKey, isAdmin: false)
    let bob = Principal(name: "bob", method: .apiKey, isAdmin: false)

    private func settings(daily: Double? = nil, monthly: Double? = nil, alerts: [CostGovernanceSettings.Alert] = CostGovernanceSettings.defaultAlerts)
        -> CostGovernanceSettings {
        CostGovernanceSettings(defaultCost: 0, toolCosts: [("fs:write_*", 2), ("search", 1)],
                               principalBudget: .init(daily: daily, monthly: monthly), alerts: alerts)
    }

    private func alerts(_ decision: BudgetLedger.Decision) -> [BudgetLedger.FiredAlert] {
        switch decision {
        case .free: return []
        case .charged(_, let alerts), .blocked(_, let alerts): return alerts
        }
    }

    private func isBlocked(_ decision: BudgetLedger.Decision) -> Bool {
        if case .blocked = decision { return true }
        return false
    }

    @Test func periodsAreUTCDaysAndMonths() {
        #expect(BudgetPeriod(unixSeconds: 0) == BudgetPeriod(unixSeconds: 86_399))
        #expect(BudgetPeriod(unixSeconds: 0).day == "1970-01-01")
        #expect(BudgetPeriod(unixSeconds: start).day == "2026-12-06")
        #expect(BudgetPeriod(unixSeconds: start).month == "2026-12")
        #expect(BudgetPeriod(unixSeconds: 951_782_400).day == "2000-02-29")
        #expect(BudgetPeriod(unixSeconds: 1_798_761_599).day == "2026-12-31")
        #expect(BudgetPeriod(unixSeconds: 1_798_761_600).day == "2027-01-01")
    }

    @Test func costsComeFromTheFirstMatchingGlobElseTheDefault() {
        let ledger = BudgetLedger(settings: settings(daily: 100), wallClock: { 1_796_551_200 })
        guard case .free = ledger.charge(principal: ci, server: "fs", tool: "read_file") else {
            Issue.record("a tool with no cost is free")
            return
        }
        guard case .charged(let charge, _) = ledger.charge(principal: ci, server: "fs", tool: "write_file") else {
            Issue.record("write_file costs 2")
            return
        }
        #expect(charge.cost == 2)
        #expect(ledger.spending(of: ci)?.daySpent == 2)
        _ = ledger.charge(principal: ci, server: "web", tool: "search")
        #expect(ledger.spending(of: ci)?.daySpent == 3)
        #expect(ledger.spending(of: bob) == nil)
    }

    @Test func alertsFireOncePerThresholdThenBlock() throws {
        let clock = ManualWallClock(start)
        let ledger = BudgetLedger(settings: settings(daily: 10), wallClock: clock.read)
        var fired: [(Double, CostGovernanceSettings.Alert.Action)] = []
        for _ in 0..<5 {
            let decision = ledger.charge(principal: ci, server: "fs", tool: "write_file")
            #expect(!isBlocked(decision))
            fired += alerts(decision).map { ($0.atPercent, $0.action) }
        }
        // 2, 4, 6 (50 %: log), 8 (80 %: notify), 10 (100 %: block reached).
        #expect(fired.map(\.0) == [50, 80, 100])
        #expect(fired.map(\.1) == [.log, .notify, .block])
        let decision = ledger.charge(principal: ci, server: "fs", tool: "write_file")
        guard case .blocked(let refusal, let late) = decision else {
            Issue.record("spent: the next call is refused")
            return
        }
        #expect(late.isEmpty)
        #expect(refusal.error.code == GovernanceErrorCode.budgetExhausted)
        #expect(refusal.reason == .budget(name: "daily:key:ci"))
        #expect(refusal.error.message
            == "daily budget of key 'ci' (10 USD) is spent: 10 USD used, this call costs 2; it resets at the start of the next day (UTC)")
        #expect(ledger.spending(of: ci)?.daySpent == 10)
        // Another principal has its own budget.
        #expect(!isBlocked(ledger.charge(principal: bob, server: "fs", tool: "write_file")))
        // The next UTC day starts afresh, with fresh alerts.
        clock.set(start + 86_400)
        #expect(!isBlocked(ledger.charge(principal: ci, server: "fs", tool: "write_file")))
        #expect(ledger.spending(of: ci)?.daySpent == 2)
        #expect(ledger.spending(of: ci)?.monthSpent == 12)
    }

    @Test func aCallThatWouldPassTheBlockThresholdIsRefusedAndFiresIt() {
        let ledger = BudgetLedger(settings: settings(daily: 3), wallClock: { 1_796_551_200 })
        #expect(!isBlocked(ledger.charge(principal: ci, server: "fs", tool: "write_file")))
        let decision = ledger.charge(principal: ci, server: "fs", tool: "write_file")
        #expect(isBlocked(decision))
        #expect(alerts(decision).map(\.action) == [.block])
        // Said once: the next refusal fires nothing more.
        #expect(alerts(ledger.charge(principal: ci, server: "fs", tool: "write_file")).isEmpty)
        // A cheaper call still fits.
        #expect(!isBlocked(ledger.charge(principal: ci, server: "web", tool: "search")))
    }

    @Test func monthlyBudgetsAndPerKeyOverrides() {
        var settings = settings(daily: 100, monthly: 5)
        settings.perPrincipal["bob"] = .init(daily: 1)
        let clock = ManualWallClock(start)
        let ledger = BudgetLedger(settings: settings, wallClock: clock.read)
        #expect(!isBlocked(ledger.charge(principal: ci, server: "fs", tool: "write_file")))
        clock.set(start + 86_400)
        #expect(!isBlocked(ledger.charge(principal: ci, server: "fs", tool: "write_file")))
        clock.set(start + 2 * 86_400)
        guard case .blocked(let refusal, _) = ledger.charge(principal: ci, server: "fs", tool: "write_file") else {
            Issue.record("the month's 5 are nearly spent")
            return
        }
        #expect(refusal.reason == .budget(name: "monthly:key:ci"))
        // bob's own entry: 1 a day, no monthly budget.
        #expect(!isBlocked(ledger.charge(principal: bob, server: "web", tool: "search")))
        #expect(isBlocked(ledger.charge(principal: bob, server: "web", tool: "search")))
    }

    @Test func perToolBudgetsAreShared() {
        var settings = settings()
        settings.perTool = [("fs:*", .init(daily: 4))]
        let ledger = BudgetLedger(settings: settings, wallClock: { 1_796_551_200 })
        #expect(!isBlocked(ledger.charge(principal: ci, server: "fs", tool: "write_file")))
        #expect(!isBlocked(ledger.charge(principal: bob, server: "fs", tool: "write_file")))
        guard case .blocked(let refusal, _) = ledger.charge(principal: ci, server: "fs", tool: "write_x") else {
            Issue.record("fs:* has spent its 4")
            return
        }
        #expect(refusal.reason == .budget(name: "daily:tool:fs:*"))
        #expect(!isBlocked(ledger.charge(principal: ci, server: "web", tool: "search")))
    }

    @Test func withoutABlockAlertBudgetsOnlyWarn() {
        let ledger = BudgetLedger(settings: settings(daily: 2, alerts: [.init(atPercent: 100, action: .notify)]), wallClock: { 1_796_551_200 })
        #expect(alerts(ledger.charge(principal: ci, server: "fs", tool: "write_file")).map(\.action) == [.notify])
        for _ in 0..<3 { #expect(!isBlocked(ledger.charge(principal: ci, server: "fs", tool: "write_file"))) }
        #expect(ledger.spending(of: ci)?.daySpent == 8)
    }

    @Test func refundsAndSavedStateAndReload() {
        let ledger = BudgetLedger(settings: settings(daily: 10), wallClock: { 1_796_551_200 })
        guard case .charged(let charge, _) = ledger.charge(principal: ci, server: "fs", tool: "write_file") else {
            Issue.record("charged")
            return
        }
        _ = ledger.charge(principal: ci, server: "fs", tool: "write_file")
        ledger.refund(charge)
        #expect(ledger.spending(of: ci)?.daySpent == 2)
        // What a restart reads back is what was spent, with the alerts already fired.
        let saved = ledger.snapshot().records
        let restarted = BudgetLedger(settings: settings(daily: 10), records: saved, wallClock: { 1_796_551_200 })
        #expect(restarted.spending(of: ci) == ledger.spending(of: ci))
        // A reload lowering the budget keeps the spending.
        restarted.update(settings: settings(daily: 3))
        #expect(isBlocked(restarted.charge(principal: ci, server: "fs", tool: "write_file")))
    }
}
