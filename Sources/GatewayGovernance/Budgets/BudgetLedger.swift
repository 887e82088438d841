// `cost_governance` enforced: what a tool call costs, who it is charged to, and what the
// budgets say. Each call is charged to the caller (their `budgets.per_key` entry by name, else
// `budgets.daily`/`monthly`, each principal its own) and to every `budgets.per_tool` glob it
// matches (all principals together). A call that would take a budget past the lowest `block`
// threshold is refused and charges nothing; a charge that crosses an alert threshold fires
// that alert once per period (UTC day, UTC month). A charge for a call that never reached the
// backend is refunded.

import GatewayAuth
import GatewayConfig
import MCPProtocol
import Synchronization

public final class BudgetLedger: Sendable {
    /// One alert fired by a charge (or a refusal).
    public struct FiredAlert: Sendable, Equatable {
        public var action: CostGovernanceSettings.Alert.Action
        public var atPercent: Double
        /// "daily budget of key 'ci' (10 USD)".
        public var budget: String
        public var spent: Double
        public var limit: Double
        public var currency: String

        public var message: String {
            let percent = limit > 0 ? Int((spent / limit * 100).rounded(.down)) : 100
            let verb = action == .block ? "reached its block threshold" : "crossed \(BudgetLedger.amount(atPercent))%"
            return "\(budget) \(verb): \(BudgetLedger.amount(spent)) of \(BudgetLedger.amount(limit)) \(currency) spent (\(percent)%)"
        }
    }

    /// What a charge took, for a refund.
    public struct Charge: Sendable, Equatable {
        let keys: [String]
        public let cost: Double
        let period: BudgetPeriod
    }

    public enum Decision: Sendable {
        /// The call costs nothing: nothing charged.
        case free
        case charged(Charge, alerts: [FiredAlert])
        case blocked(GovernanceRefusal, alerts: [FiredAlert])
    }

    private struct State {
        var settings: CostGovernanceSettings {
            didSet { compile() }
        }
        /// `tool_costs` and `per_tool` globs, compiled once per settings.
        var costGlobs: [(glob: Glob, cost: Double)] = []
        var budgetGlobs: [Glob] = []
        var records: [String: SpendingRecord]

        init(settings: CostGovernanceSettings, records: [String: SpendingRecord]) {
            self.settings = settings
            self.records = records
            compile()
        }

        mutating func compile() {
            costGlobs = settings.toolCosts.map { (Glob($0.glob), $0.cost) }
            budgetGlobs = settings.perTool.map { Glob($0.glob) }
        }
        /// Bumped on every change, so a saver knows whether there is anything to write.
        var version: UInt64 = 0
    }

    private let state: Mutex<State>
    private let wallClock: @Sendable () -> Double

    /// `wallClock`: Unix seconds; `records`: what a previous run saved.
    public init(settings: CostGovernanceSettings, records: [String: SpendingRecord] = [:],
                wallClock: @escaping @Sendable () -> Double) {
        state = Mutex(State(settings: settings, records: records))
        self.wallClock = wallClock
    }

    /// New settings from a reloaded config; what was spent stays spent.
    public func update(settings: CostGovernanceSettings) {
        state.withLock { $0.settings = settings }
    }

    public var version: UInt64 { state.withLock { $0.version } }

    public func snapshot() -> (version: UInt64, records: [String: SpendingRecord]) {
        state.withLock { ($0.version, $0.records) }
    }

    /// Charges a tool call of `principal` to its budgets, or refuses it.
    public func charge(principal: Principal, server: String, tool: String) -> Decision {
        let period = BudgetPeriod(unixSeconds: wallClock())
        return state.withLock { state -> Decision in
            let settings = state.settings
            let cost = state.costGlobs.first { Self.matches($0.glob, server: server, tool: tool) }?.cost ?? settings.defaultCost
            guard cost > 0 else { return .free }
            let holders = Self.holders(settings, globs: state.budgetGlobs, principal: principal, server: server, tool: tool)
            guard !holders.isEmpty else { return .free }
            let blockAt = settings.alerts.filter { $0.action == .block }.map(\.atPercent).min()

            if let blockAt {
                for holder in holders {
                    var record = state.records[holder.key] ?? SpendingRecord(period: period)
                    record.roll(to: period)
                    for window in Window.allCases {
                        guard let limit = window.limit(of: holder.budget) else { continue }
                        let spent = window.spent(record)
                        guard spent + cost > limit * blockAt / 100 + 1e-9 else { continue }
                        var alerts: [FiredAlert] = []
                        if !window.fired(record).contains(blockAt) {
                            window.markFired(blockAt, in: &record)
                            state.records[holder.key] = record
                            state.version &+= 1
                            alerts.append(FiredAlert(action: .block, atPercent: blockAt, budget: holder.describe(window, limit, settings.currency),
                                                     spent: spent, limit: limit, currency: settings.currency))
                        }
                        let name = window.rawValue + ":" + holder.name
                        let message = "\(holder.describe(window, limit, settings.currency)) is spent: \(Self.amount(spent)) \(settings.currency) used, "
                            + "this call costs \(Self.amount(cost)); it resets at the start of the next \(window.unit) (UTC)"
                        var data = JSONObject()
                        data["budget"] = .string(name)
                        data["period"] = .string(window.rawValue)
                        data["limit"] = .double(limit)
                        data["spent"] = .double(spent)
                        data["cost"] = .double(cost)
                        data["currency"] = .string(settings.currency)
                        let refusal = GovernanceRefusal(reason: .budget(name: name), error: JSONRPCErrorObject(
                            code: GovernanceErrorCode.budgetExhausted, message: message, data: .object(data)))
                        return .blocked(refusal, alerts: alerts)
                    }
                }
            }

            var alerts: [FiredAlert] = []
            for holder in holders {
                var record = state.records[holder.key] ?? SpendingRecord(period: period)
                record.roll(to: period)
                record.daySpent += cost
                record.monthSpent += cost
                for window in Window.allCases {
                    guard let limit = window.limit(of: holder.budget) else { continue }
                    let spent = window.spent(record)
                    for alert in settings.alerts where !window.fired(record).contains(alert.atPercent)
                        && spent + 1e-9 >= limit * alert.atPercent / 100 {
                        window.markFired(alert.atPercent, in: &record)
                        alerts.append(FiredAlert(action: alert.action, atPercent: alert.atPercent,
                                                 budget: holder.describe(window, limit, settings.currency),
                                                 spent: spent, limit: limit, currency: settings.currency))
                    }
                }
                state.records[holder.key] = record
            }
            state.version &+= 1
            return .charged(Charge(keys: holders.map(\.key), cost: cost, period: period), alerts: alerts)
        }
    }

    /// Gives back a charge for a call that did not reach the backend (refused later in the
    /// pipeline, or the backend unreachable), if its period is still the current one.
    public func refund(_ charge: Charge) {
        state.withLock { state in
            for key in charge.keys {
                guard var record = state.records[key] else { continue }
                if record.day == charge.period.day { record.daySpent = max(0, record.daySpent - charge.cost) }
                if record.month == charge.period.month { record.monthSpent = max(0, record.monthSpent - charge.cost) }
                state.records[key] = record
            }
            state.version &+= 1
        }
    }

    /// Spending of `principal` (its own budget) now, for reports and tests.
    public func spending(of principal: Principal) -> SpendingRecord? {
        let period = BudgetPeriod(unixSeconds: wallClock())
        return state.withLock { state in
            guard var record = state.records[Self.principalKey(principal)] else { return nil }
            record.roll(to: period)
            return record
        }
    }

    // MARK: - Holders and windows

    struct Holder {
        let key: String
        /// For the refusal's `data.budget`: `key:ci`, `principal:alice`, `tool:github:*`.
        let name: String
        let label: String
        let budget: CostGovernanceSettings.Budget

        func describe(_ window: Window, _ limit: Double, _ currency: String) -> String {
            "\(window.rawValue) budget of \(label) (\(BudgetLedger.amount(limit)) \(currency))"
        }
    }

    enum Window: String, CaseIterable {
        case daily, monthly

        var unit: String { self == .daily ? "day" : "month" }

        func limit(of budget: CostGovernanceSettings.Budget) -> Double? {
            self == .daily ? budget.daily : budget.monthly
        }

        func spent(_ record: SpendingRecord) -> Double {
            self == .daily ? record.daySpent : record.monthSpent
        }

        func fired(_ record: SpendingRecord) -> [Double] {
            self == .daily ? record.dayAlerts : record.monthAlerts
        }

        func markFired(_ percent: Double, in record: inout SpendingRecord) {
            if self == .daily { record.dayAlerts.append(percent) } else { record.monthAlerts.append(percent) }
        }
    }

    static func principalKey(_ principal: Principal) -> String { "principal\u{0}" + principal.owner }

    static func holders(_ settings: CostGovernanceSettings, globs: [Glob], principal: Principal, server: String, tool: String) -> [Holder] {
        var holders: [Holder] = []
        let own = settings.perPrincipal[principal.name] ?? settings.principalBudget
        if !own.isEmpty {
            let isKey = principal.method == .apiKey
            holders.append(Holder(key: principalKey(principal), name: (isKey ? "key:" : "principal:") + principal.name,
                                  label: isKey ? "key '\(principal.name)'" : "principal '\(principal.name)'", budget: own))
        }
        for (index, entry) in settings.perTool.enumerated() where !entry.budget.isEmpty && matches(globs[index], server: server, tool: tool) {
            holders.append(Holder(key: "tool\u{0}" + entry.glob, name: "tool:" + entry.glob, label: "tool '\(entry.glob)'", budget: entry.budget))
        }
        return holders
    }

    /// A pattern with `:` is over `server:tool`; a bare one is over the tool name on any server.
    static func matches(_ glob: Glob, server: String, tool: String) -> Bool {
        CallLimiter.matches(glob, server: server, tool: tool)
    }

    /// `10`, `2.5`, `0.25` (two decimals at most).
    static func amount(_ value: Double) -> String {
        let cents = (value * 100).rounded()
        if cents == (cents / 100).rounded(.down) * 100 { return String(Int(cents / 100)) }
        let whole = Int((cents / 100).rounded(.towardZero))
        let fraction = Int(abs(cents).truncatingRemainder(dividingBy: 100))
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return "\(whole).\(digits)"
    }
}
