// The limit and budget stages of the call pipeline, built from config. The limiter, the
// ledger and its file outlive config reloads: `update(config:)` hands them the new settings
// (buckets, gates, calls in flight and spending are kept). The pipeline is built once, with
// only the stages the starting config asks for (none when it sets no limit and no budget, so
// such a gateway pays nothing per call); a reload that adds limits or budgets to a gateway
// started without them says they need a restart.

import Foundation
import GatewayConfig
import GatewayGovernance
import Logging

public final class LimitAndBudgetStages: Sendable {
    public let limiter: CallLimiter
    public let ledger: BudgetLedger
    public let budgetStore: BudgetStore?
    let logger: Logger
    /// Which stages the pipeline holds (decided at start).
    let hasBudgetStage: Bool
    let hasLimitStage: Bool

    /// `catalogCachePath`: spending is saved beside it (nil: kept in memory only).
    public init(config: GatewayConfig, logger: Logger, catalogCachePath: String?) {
        self.logger = logger
        limiter = CallLimiter(config: config)
        let store = catalogCachePath.map { BudgetStore(path: BudgetStore.path(besideCatalog: $0), logger: logger) }
        budgetStore = store
        ledger = BudgetLedger(settings: config.costGovernance ?? CostGovernanceSettings(), records: store?.load() ?? [:],
                              wallClock: { Date().timeIntervalSince1970 })
        hasBudgetStage = config.costGovernance != nil
        hasLimitStage = CallLimiter.isNeeded(config)
    }

    /// New settings; buckets, gates, calls in flight and spending are kept. Returns the
    /// sections that need a restart to take effect: limits or budgets the starting config did
    /// not have (their stages are not in the pipeline).
    @discardableResult
    public func update(config: GatewayConfig) -> [String] {
        limiter.update(config: config)
        // Without the section nothing costs anything: every call is free.
        ledger.update(settings: config.costGovernance ?? CostGovernanceSettings(alerts: []))
        var needRestart: [String] = []
        if config.costGovernance != nil && !hasBudgetStage { needRestart.append("cost_governance (newly enabled)") }
        if CallLimiter.isNeeded(config) && !hasLimitStage { needRestart.append("rate and concurrency limits (newly configured)") }
        return needRestart
    }

    /// The stages, in pipeline order: budget, then limits (a call refused by a limit is
    /// refunded by the budget stage).
    public var stages: [any CallStage] {
        var stages: [any CallStage] = []
        if hasBudgetStage {
            let (ledger, store) = (ledger, budgetStore)
            stages.append(BudgetStage(ledger: ledger, logger: logger, onChange: { store?.scheduleSave(ledger) }))
        }
        if hasLimitStage { stages.append(LimitStage(limiter: limiter)) }
        return stages
    }

    /// Writes pending spending (at shutdown).
    public func save() {
        budgetStore?.save(ledger)
    }
}
