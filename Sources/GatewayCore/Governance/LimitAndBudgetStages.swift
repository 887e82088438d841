// The limit and budget stages of the call pipeline, built from config. The limiter, the
// ledger and its file outlive config reloads: `update(config:)` hands them the new settings
// and `stages` says which belong in the rebuilt chain (none when the config sets no limit and
// no budget, so such a gateway pays nothing per call).

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
    private let current: Mutex<GatewayConfig>

    /// `catalogCachePath`: spending is saved beside it (nil: kept in memory only).
    public init(config: GatewayConfig, logger: Logger, catalogCachePath: String?) {
        self.logger = logger
        limiter = CallLimiter(config: config)
        let store = catalogCachePath.map { BudgetStore(path: BudgetStore.path(besideCatalog: $0), logger: logger) }
        budgetStore = store
        ledger = BudgetLedger(settings: config.costGovernance ?? CostGovernanceSettings(), records: store?.load() ?? [:],
                              wallClock: { Date().timeIntervalSince1970 })
        current = Mutex(config)
    }

    /// New settings; buckets, gates, calls in flight and spending are kept.
    public func update(config: GatewayConfig) {
        limiter.update(config: config)
        if let settings = config.costGovernance { ledger.update(settings: settings) }
        current.withLock { $0 = config }
    }

    /// The stages the current config asks for, in pipeline order: budget, then limits (a
    /// call refused by a limit is refunded by the budget stage).
    public var stages: [any CallStage] {
        let config = current.withLock { $0 }
        var stages: [any CallStage] = []
        if config.costGovernance != nil {
            let (ledger, store) = (ledger, budgetStore)
            stages.append(BudgetStage(ledger: ledger, logger: logger, onChange: { store?.scheduleSave(ledger) }))
        }
        if CallLimiter.isNeeded(config) { stages.append(LimitStage(limiter: limiter)) }
        return stages
    }

    /// Writes pending spending (at shutdown).
    public func save() {
        budgetStore?.save(ledger)
    }
}
