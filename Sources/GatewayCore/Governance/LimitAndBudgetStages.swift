// The limit and budget stages of the call pipeline, built from config. The limiter, the
// ledger and its file outlive config reloads: `update(config:)` hands them the new settings
// (buckets, gates, calls in flight and spending are kept). The pipeline holds only the stages
// the config in force asks for (none when it sets no limit and no budget, so such a gateway
// pays nothing per call); the gateway rebuilds it from `stages` after each reload.

import Foundation
import GatewayConfig
import GatewayGovernance
import Logging
import Synchronization

public final class LimitAndBudgetStages: Sendable {
    public let limiter: CallLimiter
    public let ledger: BudgetLedger
    public let budgetStore: BudgetStore?
    let logger: Logger
    /// Which stages the config in force asks for.
    private let wanted: Mutex<(budget: Bool, limits: Bool)>

    /// `catalogCachePath`: spending is saved beside it (nil: kept in memory only).
    public init(config: GatewayConfig, logger: Logger, catalogCachePath: String?) {
        self.logger = logger
        limiter = CallLimiter(config: config)
        let store = catalogCachePath.map { BudgetStore(path: BudgetStore.path(besideCatalog: $0), logger: logger) }
        budgetStore = store
        ledger = BudgetLedger(settings: config.costGovernance ?? CostGovernanceSettings(), records: store?.load() ?? [:],
                              wallClock: { Date().timeIntervalSince1970 })
        wanted = Mutex((config.costGovernance != nil, CallLimiter.isNeeded(config)))
    }

    /// New settings; buckets, gates, calls in flight and spending are kept. `stages` then
    /// holds what the new config asks for.
    public func update(config: GatewayConfig) {
        limiter.update(config: config)
        // Without the section nothing costs anything: every call is free.
        ledger.update(settings: config.costGovernance ?? CostGovernanceSettings(alerts: []))
        wanted.withLock { $0 = (config.costGovernance != nil, CallLimiter.isNeeded(config)) }
    }

    /// The stages, in pipeline order: budget, then limits (a call refused by a limit is
    /// refunded by the budget stage).
    public var stages: [any CallStage] {
        let wanted = wanted.withLock { $0 }
        var stages: [any CallStage] = []
        if wanted.budget {
            let (ledger, store) = (ledger, budgetStore)
            stages.append(BudgetStage(ledger: ledger, logger: logger, onChange: { store?.scheduleSave(ledger) }))
        }
        if wanted.limits { stages.append(LimitStage(limiter: limiter)) }
        return stages
    }

    /// Writes pending spending (at shutdown).
    public func save() {
        budgetStore?.save(ledger)
    }
}
