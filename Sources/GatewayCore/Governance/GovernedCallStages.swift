// The call pipeline's stages as the config in force asks for them, and what a reload changes
// in them. The long-lived parts (scopes, the limiter and the budget ledger, the pin registry)
// are updated in place; the per-config parts (credential redaction with the gateway's own
// secrets, the audit trail and its argument rules) are made anew. The gateway swaps the
// resulting list into the pipeline as a whole, so a reload can add or remove any stage.

import GatewayConfig
import GatewayGovernance
import Logging
import Synchronization

final class GovernedCallStages: Sendable {
    let access: AccessControl
    let limits: LimitAndBudgetStages
    let pinning: PinRegistry
    /// `failsafe.circuit_breaker`, kept across reloads (a breaker keeps its state).
    let breakers: CircuitBreakers
    let capabilityServer: String?
    /// The backends, for tool shaping (whose rules each backend carries).
    let pool: BackendPool
    /// The embedder's own stages (GatewayPolicy), after the governance ones.
    let policyStages: [any CallStage]
    let logger: Logger

    private struct PerConfig {
        var audit: AuditSettings?
        var trail: AuditTrail?
        var redaction: RedactionStage?
    }

    private let perConfig: Mutex<PerConfig>
    /// Trails replaced by a reload and not closed yet.
    private let retired = Mutex<[AuditTrail]>([])

    init(config: GatewayConfig, access: AccessControl, limits: LimitAndBudgetStages, pinning: PinRegistry,
         breakers: CircuitBreakers, capabilityServer: String?, pool: BackendPool,
         policyStages: [any CallStage], logger: Logger) {
        self.pool = pool
        self.access = access
        self.limits = limits
        self.pinning = pinning
        self.breakers = breakers
        self.capabilityServer = capabilityServer
        self.policyStages = policyStages
        self.logger = logger
        perConfig = Mutex(PerConfig(audit: config.audit, trail: config.audit.map { AuditTrail(settings: $0) },
                                    redaction: RedactionStage.make(config: config, logger: logger)))
    }

    /// The audit trail in force (nil without `audit:`).
    var trail: AuditTrail? { perConfig.withLock { $0.trail } }

    /// Credential redaction, which the pipeline runs around all the stages (so it sees what
    /// every stage returns); nil when switched off.
    var redaction: RedactionStage? { perConfig.withLock { $0.redaction } }

    /// The stages in pipeline order, inside the redaction. The audit stage first, so it records what every later stage
    /// refuses; the scope check refuses before anything counts or spends, then tool pinning
    /// (a held tool), then the circuit breaker (a backend out of service), then budgets and
    /// limits, so a call refused earlier spends and counts nothing; tool shaping last.
    var stages: [any CallStage] {
        let trail = perConfig.withLock { $0.trail }
        var stages: [any CallStage] = []
        if let trail { stages.append(AuditStage(trail: trail)) }
        // Without scopes, policies, routing profiles or a tool policy nobody is restricted: the
        // stage would pass every call on, at the cost of an async frame each. A reload that
        // puts rules in force rebuilds this list after updating the control.
        if access.isInForce { stages.append(AccessStage(control: access, logger: logger)) }
        if pinning.holds { stages.append(PinningStage(registry: pinning)) }
        stages += policyStages
        if breakers.isEnabled { stages.append(CircuitBreakerStage(breakers: breakers, capabilityServer: capabilityServer)) }
        stages += limits.stages
        // Last: every stage before it sees the tool names clients see; the backend gets its own.
        if pool.backends.contains(where: { $0.shaper != nil }) { stages.append(ToolShapingStage(pool: pool)) }
        // Usage is recorded by the last step (BackendCallStage), not by a stage.
        return stages
    }

    /// Closes a trail a reload replaced (after the calls that hold it had time to end).
    func closeRetired(_ trail: AuditTrail) async {
        await trail.close()
        retired.withLock { $0.removeAll { $0 === trail } }
    }

    /// Writes every queued line of every trail, current and replaced, and closes them (at shutdown).
    func closeTrails() async {
        let trails = retired.withLock { $0 } + (trail.map { [$0] } ?? [])
        for trail in trails { await trail.close() }
    }

    /// What a reload changed outside the stage list itself.
    struct Applied {
        /// `security.pinning` changed: the catalog must be rebuilt (held tools, flags).
        var pinningChanged = false
        /// The trail the reload replaced: closed by the caller once it is out of the pipeline.
        var retiredTrail: AuditTrail?
    }

    /// Puts `config`'s governance in force for the stages built next.
    func apply(_ config: GatewayConfig) -> Applied {
        access.update(config: config)
        limits.update(config: config)
        breakers.update(settings: config.failsafe.circuitBreaker)
        var applied = Applied()
        applied.pinningChanged = pinning.setMode(config.security.pinning)
        // Rebuilt on every reload (reloads are rare): the scanner holds the gateway's own secrets,
        // so a new key is looked for at once.
        let redaction = RedactionStage.make(config: config, logger: logger)
        let auditChanged = perConfig.withLock { current -> Bool in
            let auditChanged = current.audit != config.audit
            if auditChanged {
                applied.retiredTrail = current.trail
                if let old = current.trail { retired.withLock { $0.append(old) } }
                current.audit = config.audit
                current.trail = config.audit.map { AuditTrail(settings: $0) }
            }
            current.redaction = redaction
            return auditChanged
        }
        if auditChanged { logger.notice("audit trail: now \(config.audit?.destination.description ?? "off")") }
        return applied
    }
}
