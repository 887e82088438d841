// The composition root of the core: configuration, backends, catalog, call pipeline and
// the dispatcher. Front ends hold one Gateway and hand it decoded messages.

import AsyncHTTPClient
import Foundation
import GatewayAuth
import GatewayBackends
import GatewayCapabilities
import GatewayConfig
import GatewayGovernance
import GatewayProfiles
import GatewayTelemetry
import GatewayTracing
import Logging
import MCPProtocol
import Synchronization
import ToolSearch

public final class Gateway: Sendable {
    public let config: GatewayConfig
    public let pool: BackendPool
    public let catalog: Catalog
    public let usage: CallUsage
    /// The scopes in force (reloaded with the config).
    public let access: AccessControl
    /// Rate and concurrency limits and budgets, kept across reloads.
    public let limits: LimitAndBudgetStages
    /// `failsafe.circuit_breaker`: one breaker per backend, kept across reloads.
    public let breakers: CircuitBreakers
    public let dispatcher: MCPDispatcher
    /// REST/GraphQL capabilities, one more server in the catalog (nil when disabled).
    public let capabilities: CapabilityCatalog?
    /// Backend notifications that are not tied to one call (log messages), for front ends.
    public let backendNotifications: BackendNotificationHub
    /// Client subscriptions to backend resources (front ends register their sessions).
    public let resourceSubscriptions: ResourceSubscriptions
    /// `webhooks:` endpoints' events (nil without the section); HTTP posts land here.
    public let webhooks: WebhookInbox?
    /// `audit:`: the audit trail in force (nil without one; a reload may replace it).
    public var audit: AuditTrail? { governed.trail }
    /// The call pipeline's stages from the config in force, rebuilt on reload.
    let governed: GovernedCallStages
    /// The pipeline's last step (retries, deadlines), updated on reload.
    let terminal: BackendCallStage
    /// Health pings and the idle stop (`failsafe.health_check`, `stop_when_idle_for`).
    let upkeep: BackendUpkeep
    /// How the last reload of the config file went (/health).
    public let reloadStatus = ConfigReloadStatus()
    /// `/metrics` (nil when `telemetry.metrics` is off).
    public let metrics: GatewayMetrics?
    /// `telemetry.profiles`: per-tool statistics kept on disk (nil when off or without a cache).
    public let profiles: ToolProfiles?
    /// Spans per request, search, policy and backend exchange (nil: `telemetry.otlp` unset).
    /// Made by the server, which owns the exporter: the core writes spans only.
    public let tracer: GatewayTracer?
    /// The last calls, for the dashboard (nil: `telemetry.dashboard` off).
    public let callFeed: CallFeed?
    /// `telemetry.metrics.readers` in force (reloadable, like the keys they name).
    private let metricsReaders: Mutex<Set<String>>
    /// The first client came: backends were started to list their tools (a reload then lists
    /// the tools of the backends it adds).
    let discoveryStarted = OnceFlag()
    public let startedAt = ContinuousClock.now
    let httpClient: HTTPClient
    let logger: Logger
    let store: CatalogStore?
    private let saveScheduled = Atomic<Bool>(false)

    public init(config: GatewayConfig, logger: Logger, catalogCachePath: String? = nil, policy: GatewayPolicy = GatewayPolicy(),
                tracer: GatewayTracer? = nil) {
        self.config = config
        self.tracer = tracer
        self.logger = logger
        store = catalogCachePath.map { CatalogStore(path: $0, logger: logger) }
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout.connect = .seconds(5)
        // The default of 8 connections per host queues concurrent calls to one HTTP backend.
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        clientConfiguration.redirectConfiguration = .disallow
        httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let relay = CatalogChangeRelay()
        let hub = BackendNotificationHub()
        backendNotifications = hub
        pool = BackendPool(settings: config.backends, cacheTTL: config.metaMCP.cacheTTL,
                           discoveryWait: config.metaMCP.discoveryWait, httpClient: httpClient,
                           logger: logger, onToolsChanged: { _ in relay.notify() },
                           onNotification: { server, method, params in hub.publish(server: server, method: method, params: params) })
        let capabilityCatalog = config.capabilities.enabled
            ? CapabilityCatalog(settings: CapabilitySettings(config: config), logger: logger) : nil
        capabilities = capabilityCatalog
        let pinning = PinRegistry.make(config: config, catalogCachePath: catalogCachePath,
                                       capabilityServer: capabilityCatalog?.serverName, logger: logger)
        catalog = Catalog(pool: pool, capabilities: capabilityCatalog, pinning: pinning,
                          searchMode: SearchMode(config.metaMCP.search), catalogCachePath: catalogCachePath, logger: logger)
        relay.target = catalog
        let callUsage = CallUsage()
        usage = callUsage
        let metrics = config.telemetry.metrics.enabled ? GatewayMetrics() : nil
        self.metrics = metrics
        metricsReaders = Mutex(Set(config.telemetry.metrics.readers))
        let profiles = Self.openProfiles(config.telemetry.profiles, catalogCachePath: catalogCachePath, logger: logger)
        self.profiles = profiles
        let accessControl = AccessControl(config: config)
        access = accessControl
        let terminal = BackendCallStage(pool: pool, capabilities: capabilityCatalog, retry: config.failsafe.retry,
                                        backends: config.backends, usage: callUsage, metrics: metrics,
                                        profiles: profiles, tracer: tracer, logger: logger)
        self.terminal = terminal
        upkeep = BackendUpkeep(pool: pool, healthCheck: config.failsafe.healthCheck)
        limits = LimitAndBudgetStages(config: config, logger: logger, catalogCachePath: catalogCachePath)
        breakers = CircuitBreakers(settings: config.failsafe.circuitBreaker)
        governed = GovernedCallStages(config: config, access: accessControl, limits: limits, pinning: pinning,
                                      breakers: breakers, capabilityServer: capabilityCatalog?.serverName, pool: pool,
                                      policyStages: policy.callStages, logger: logger)
        let feed = config.telemetry.dashboard ? CallFeed() : nil
        callFeed = feed
        let pipeline = CallPipeline(stages: governed.stages, redaction: governed.redaction, metrics: metrics, tracer: tracer,
                                    feed: feed, terminal: { await terminal.call($0) })
        let subscriptions = ResourceSubscriptions(pool: pool)
        resourceSubscriptions = subscriptions
        let inbox = config.webhooks.map { WebhookInbox(settings: $0) { uri in subscriptions.deliverLocalUpdate(uri: uri) } }
        webhooks = inbox
        hub.subscribe { server, method, params in
            if method == "notifications/resources/updated" { subscriptions.deliverUpdate(server: server, params: params) }
        }
        dispatcher = MCPDispatcher(config: config, pool: pool, catalog: catalog, pipeline: pipeline,
                                   requests: RequestChain(stages: policy.requestStages),
                                   subscriptions: subscriptions, capabilities: capabilityCatalog, access: accessControl,
                                   breakers: breakers, metrics: metrics, profiles: profiles, tracer: tracer, webhooks: inbox,
                                   logger: logger)
        let discoveryStarted = self.discoveryStarted
        dispatcher.onFirstClient = { [weak catalog] in
            // Lazy start: the first client to connect is what spawns the backends.
            guard let catalog, discoveryStarted.claim() else { return }
            Task { await catalog.ensureDiscovered() }
        }
        if let metrics { collectLiveState(into: metrics) }
    }

    /// Warm-starts the configured backends and builds the first (possibly empty) catalog.
    public func start() async {
        if let store {
            let saved = store.load()
            for backend in pool.backends {
                guard let entry = saved[backend.name],
                      entry.fingerprint == CatalogStore.fingerprint(backend.settings) else { continue }
                await backend.seedTools(entry.tools, listedAt: entry.savedAt)
            }
            catalog.addListener { [weak self] _ in self?.scheduleSave() }
        }
        // An approval (`mcp-gateway tools approve`) changes the pin file: rebuild to release.
        catalog.pinning.startWatching { [weak catalog] in catalog?.scheduleRebuild() }
        if let capabilities {
            // Hot reload: a changed capability file updates the catalog (and tells clients).
            capabilities.onChange { [weak catalog] in catalog?.scheduleRebuild() }
            await capabilities.start()
        }
        await catalog.rebuild()
        upkeep.start()
        profiles?.start()
        // The seeded catalog is in place: requests that arrived meanwhile may proceed.
        dispatcher.startup.open()
        if !config.metaMCP.warmStart.isEmpty {
            await pool.warmStart(config.metaMCP.warmStart)
            await catalog.rebuild()
        }
    }

    /// Saves the catalog at most every half second, off the request path.
    private func scheduleSave() {
        guard store != nil, !saveScheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task {
            try? await Task.sleep(for: .milliseconds(500))
            saveScheduled.store(false, ordering: .releasing)
            await saveCatalog()
        }
    }

    public func saveCatalog() async {
        guard let store else { return }
        var entries = store.load()
        for backend in pool.backends {
            guard let (tools, listedAt) = await backend.persistableTools() else { continue }
            entries[backend.name] = CatalogStore.Entry(fingerprint: CatalogStore.fingerprint(backend.settings),
                                                       savedAt: listedAt, tools: tools)
        }
        guard !entries.isEmpty else { return }
        store.save(entries)
    }

    /// Stops every backend (closing stdin, then SIGTERM, then SIGKILL) and the HTTP client.
    public func shutdown() async {
        // A save may still be pending (they are debounced): the next start should not pay for it.
        await saveCatalog()
        limits.save()
        catalog.pinning.stopWatching()
        await capabilities?.stop()
        upkeep.stop()
        await pool.stopAll()
        // After the backends: calls they ended are recorded too, and every queued line is written.
        await governed.closeTrails()
        await profiles?.stop()
        try? await httpClient.shutdown()
    }

    /// Applies a reloaded configuration's backends (added, removed, replaced: see
    /// BackendPool+Reload), governance (scopes, policies, routing profiles, tool policy, rate
    /// and concurrency limits, budgets, the audit trail, credential redaction, tool pinning)
    /// and failsafes (retries, per-tool timeouts, health checks) to every call that starts from
    /// now on; returns the sections that changed but are read only at start.
    @discardableResult
    public func applyReloaded(_ reloaded: GatewayConfig) -> [String] {
        let changes = pool.reconcile(reloaded.backends)
        if !changes.isEmpty { applyBackendChanges(changes, drainWithin: reloaded.server.shutdownTimeout) }
        let applied = governed.apply(reloaded)
        dispatcher.pipeline.replaceStages(governed.stages, redaction: governed.redaction)
        terminal.update(retry: reloaded.failsafe.retry, backends: reloaded.backends)
        upkeep.update(healthCheck: reloaded.failsafe.healthCheck)
        if applied.pinningChanged { catalog.scheduleRebuild() }
        // Calls in flight finish with the stage that holds the old trail; its lines are
        // written before it closes, after the new one is in force.
        if let retired = applied.retiredTrail {
            let (governed, grace) = (governed, config.server.requestTimeout)
            Task {
                try? await Task.sleep(for: grace)
                await governed.closeRetired(retired)
            }
        }
        var needRestart: [String] = []
        if reloaded.server != config.server { needRestart.append("server") }
        metricsReaders.withLock { $0 = Set(reloaded.telemetry.metrics.readers) }
        if reloaded.telemetry.metrics.enabled != config.telemetry.metrics.enabled { needRestart.append("telemetry.metrics.enabled") }
        if reloaded.telemetry.profiles != config.telemetry.profiles { needRestart.append("telemetry.profiles") }
        if reloaded.telemetry.otlp != config.telemetry.otlp { needRestart.append("telemetry.otlp") }
        if reloaded.telemetry.dashboard != config.telemetry.dashboard { needRestart.append("telemetry.dashboard") }
        if reloaded.webhooks != config.webhooks { needRestart.append("webhooks") }
        if dispatcher.updateMetaTools(enabled: reloaded.metaMCP.enabled, surfaced: reloaded.metaMCP.surfacedTools) {
            catalog.announceChange()
        }
        // Compared with the catalog's mode, not the start config: a reload may switch back.
        catalog.setSearchMode(SearchMode(reloaded.metaMCP.search))
        // The rest of meta_mcp is read when backends are made and at start.
        if reloaded.metaMCP.cacheTTL != config.metaMCP.cacheTTL || reloaded.metaMCP.discoveryWait != config.metaMCP.discoveryWait
            || reloaded.metaMCP.warmStart != config.metaMCP.warmStart {
            needRestart.append("meta_mcp (cache_ttl, discovery_wait, warm_start)")
        }
        if reloaded.capabilities != config.capabilities { needRestart.append("capabilities") }
        if reloaded.security.ssrfAllow != config.security.ssrfAllow { needRestart.append("security.ssrf_allow") }
        if reloaded.tls != config.tls { needRestart.append("mtls") }
        if Self.identities(reloaded.auth) != Self.identities(config.auth) { needRestart.append("auth (identities)") }
        return needRestart
    }

    /// Retired backends stop once their calls in flight are over; clients learn of the new
    /// catalog (`tools/list_changed`); added backends list their tools if clients are here.
    private func applyBackendChanges(_ changes: BackendPool.Reconciled, drainWithin limit: Duration) {
        func names(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ", ") }
        logger.notice("backends reloaded: added \(names(changes.added)); removed \(names(changes.removed)); replaced \(names(changes.replaced))")
        for retired in changes.retired {
            Task { await retired.drainAndStop(within: limit, reason: "the backend was removed or replaced by a configuration reload") }
        }
        catalog.scheduleRebuild()
        guard discoveryStarted.isClaimed else { return }
        let (pool, catalog) = (pool, catalog)
        Task {
            await pool.discover(deadline: pool.discoveryWait, refreshKnown: false)
            catalog.scheduleRebuild()
        }
    }

    /// What of `auth` is read at start: the OAuth issuer (its metadata routes and key fetching),
    /// the stdio principal, a token made by `auto`.
    private static func identities(_ auth: AuthSettings) -> AuthSettings {
        // `enabled`, the keys, the token and the public paths reload at the gate
        // (FrontEndIdentity.reload), each key's rules with the governance.
        var identities = AuthSettings(oauth: auth.oauth, stdioPrincipal: auth.stdioPrincipal)
        // A token that becomes `auto` can only be made, and shown, at start.
        if case .generated = auth.bearerToken { identities.bearerToken = .generated }
        return identities
    }

    /// Whether `principal` may read `/metrics` (besides `auth.public_paths` opening it to all):
    /// admins, and the principals `telemetry.metrics.readers` names.
    public func mayReadMetrics(_ principal: Principal) -> Bool {
        principal.isAdmin || metricsReaders.withLock { $0.contains(principal.name) }
    }

    public var uptimeSeconds: Double {
        let d = ContinuousClock.now - startedAt
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Breaks the init-order cycle between the pool (which reports changes) and the catalog.
final class CatalogChangeRelay: Sendable {
    private let box = Mutex<Catalog?>(nil)
    var target: Catalog? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
    func notify() { target?.scheduleRebuild() }
}

/// True exactly once.
final class OnceFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func claim() -> Bool { !flag.exchange(true, ordering: .acquiringAndReleasing) }
    var isClaimed: Bool { flag.load(ordering: .acquiring) }
}
