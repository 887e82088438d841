// `cost_governance:` (the reference's keys): what a tool call costs, the budgets spending is
// held to, and what happens as a budget fills. GatewayGovernance's BudgetLedger enforces it.

public struct CostGovernanceSettings: Sendable, Equatable {
    /// Daily and monthly amounts; nil: no limit for that period.
    public struct Budget: Sendable, Equatable {
        public var daily: Double?
        public var monthly: Double?

        public init(daily: Double? = nil, monthly: Double? = nil) {
            self.daily = daily
            self.monthly = monthly
        }

        public var isEmpty: Bool { daily == nil && monthly == nil }
    }

    public struct Alert: Sendable, Equatable {
        public enum Action: String, Sendable, Equatable, CaseIterable {
            /// A log line.
            case log
            /// A log line and a `notifications/message` to the caller.
            case notify
            /// Refuse calls that would spend past this point (-32003).
            case block
        }

        public var atPercent: Double
        public var action: Action

        public init(atPercent: Double, action: Action) {
            self.atPercent = atPercent
            self.action = action
        }
    }

    public var currency: String
    /// What a tool call costs when no `tool_costs` glob matches.
    public var defaultCost: Double
    /// Glob over `server:tool` (bare: the tool on any server) → cost; the first match wins.
    public var toolCosts: [(glob: String, cost: Double)]
    /// `budgets.daily` / `budgets.monthly`: each principal's own budget.
    public var principalBudget: Budget
    /// `budgets.per_key.NAME`: a principal's budget by name, instead of the default.
    public var perPrincipal: [String: Budget]
    /// `budgets.per_tool.GLOB`: spending of all principals together on the tools a glob matches.
    public var perTool: [(glob: String, budget: Budget)]
    /// Sorted by `atPercent`.
    public var alerts: [Alert]

    /// The reference's default alerts.
    public static let defaultAlerts = [
        Alert(atPercent: 50, action: .log), Alert(atPercent: 80, action: .notify), Alert(atPercent: 100, action: .block),
    ]

    public init(currency: String = "USD", defaultCost: Double = 0, toolCosts: [(glob: String, cost: Double)] = [],
                principalBudget: Budget = Budget(), perPrincipal: [String: Budget] = [:],
                perTool: [(glob: String, budget: Budget)] = [], alerts: [Alert] = CostGovernanceSettings.defaultAlerts) {
        self.currency = currency
        self.defaultCost = defaultCost
        self.toolCosts = toolCosts
        self.principalBudget = principalBudget
        self.perPrincipal = perPrincipal
        self.perTool = perTool
        self.alerts = alerts.sorted { $0.atPercent < $1.atPercent }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.currency == rhs.currency && lhs.defaultCost == rhs.defaultCost
            && lhs.toolCosts.elementsEqual(rhs.toolCosts, by: { $0.glob == $1.glob && $0.cost == $1.cost })
            && lhs.principalBudget == rhs.principalBudget && lhs.perPrincipal == rhs.perPrincipal
            && lhs.perTool.elementsEqual(rhs.perTool, by: { $0.glob == $1.glob && $0.budget == $1.budget })
            && lhs.alerts == rhs.alerts
    }
}
