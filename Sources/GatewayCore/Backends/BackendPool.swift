// All configured backends by name, with discovery under a per-backend deadline, the changes
// a reloaded config makes to the set (BackendPool+Reload.swift) and an orderly stop.

import AsyncHTTPClient
import GatewayBackends
import GatewayConfig
import Logging
import MCPProtocol
import Synchronization

public final class BackendPool: Sendable {
    /// The backends in force, swapped whole by a reload: a call looks its backend up once.
    final class Members: Sendable {
        let backends: [Backend]
        let byName: [String: Backend]

        init(_ backends: [Backend]) {
            self.backends = backends
            byName = Dictionary(backends.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let members: Mutex<Members>
    /// Makes a backend from its settings (a reload adds and replaces backends); nil: the set
    /// is fixed (tests over scripted backends).
    let makeBackend: (@Sendable (BackendSettings) -> Backend)?
    public var backends: [Backend] { members.withLock { $0 }.backends }
    /// When a discovery pass last found every enabled backend's tool list known. Passes within
    /// `quietPeriod` of it are skipped: every search, listing and invoke of an unknown server
    /// asks for one, and a pass costs an actor hop and a task per backend.
    let lastCompletePass = Mutex<ContinuousClock.Instant?>(nil)
    private let quietPeriod: Duration
    /// What waiting each backend without a tool list has had (see `waitBudget`).
    let waits = Mutex<[String: DiscoveryWait]>([:])

    struct DiscoveryWait {
        /// When a request first waited for this backend's list.
        var since: ContinuousClock.Instant
        /// A listing attempt failed since: later requests stop waiting for it.
        var failed = false
    }

    /// How long requests wait, in all, for a backend's first tool list (`meta_mcp.discovery_wait`).
    public let discoveryWait: Duration

    public convenience init(settings: [BackendSettings], cacheTTL: Duration, discoveryWait: Duration = .seconds(5),
                httpClient: HTTPClient, logger: Logger,
                onToolsChanged: @escaping @Sendable (String) -> Void,
                onNotification: @escaping @Sendable (String, String, RawJSON?) -> Void = { _, _, _ in }) {
        let make: @Sendable (BackendSettings) -> Backend = {
            Backend(settings: $0, httpClient: httpClient, cacheTTL: cacheTTL, logger: logger,
                    onToolsChanged: onToolsChanged, onNotification: onNotification)
        }
        self.init(backends: settings.map(make), cacheTTL: cacheTTL, discoveryWait: discoveryWait, makeBackend: make)
    }

    /// Over backends made elsewhere (tests script theirs).
    init(backends: [Backend], cacheTTL: Duration, discoveryWait: Duration = .seconds(5),
         makeBackend: (@Sendable (BackendSettings) -> Backend)? = nil) {
        self.discoveryWait = discoveryWait
        self.makeBackend = makeBackend
        members = Mutex(Members(backends))
        // Never longer than the tool-list cache lives, so a stale list still refreshes on time.
        quietPeriod = min(.seconds(1), cacheTTL)
    }

    public var names: [String] { backends.map(\.name) }

    public func backend(named name: String) -> Backend? { members.withLock { $0 }.byName[name] }

    /// Lists every enabled backend's tools concurrently. A backend without a list is waited
    /// for within its budget (`waitBudget`: `deadline` in all); one that misses it keeps
    /// loading in the background. Backends whose cache is fresh answer at once; stale ones
    /// refresh.
    public func discover(deadline: Duration, refreshKnown: Bool = true) async {
        if refreshKnown, let last = lastCompletePass.withLock({ $0 }), ContinuousClock.now - last < quietPeriod { return }
        let allKnown = await discover(backends.filter { $0.settings.enabled }, deadline: deadline, refreshKnown: refreshKnown)
        if allKnown, refreshKnown { lastCompletePass.withLock { $0 = .now } }
    }

    /// Whether every selected backend already had a tool list when the pass began.
    @discardableResult
    private func discover(_ selected: [Backend], deadline: Duration, refreshKnown: Bool = true) async -> Bool {
        var allKnown = true
        await withTaskGroup(of: Void.self) { group in
            for backend in selected {
                let known = await backend.hasToolList()
                if !known { allKnown = false }
                if known && !refreshKnown { continue }
                // Taken before the load starts, so that a load failing at once finds its entry.
                let budget = known ? .zero : waitBudget(for: backend.name, deadline: deadline)
                let load = Task { [self] in
                    do throws(BackendError) {
                        _ = try await backend.listTools()
                    } catch {
                        waits.withLock { $0[backend.name]?.failed = true }
                    }
                }
                // A known (possibly persisted) list refreshes in the background; so does the list
                // of a backend that has had its wait.
                guard budget > .zero else { continue }
                group.addTask { _ = await BoundedWait.value(of: load, within: budget) }
            }
        }
        return allKnown
    }

    /// How long a request may still wait for a backend's first tool list: `deadline` in all,
    /// counted from the first request that waited, and nothing once an attempt has failed. A
    /// backend that is slow to start, stuck or broken then costs one wait, not one per search:
    /// later answers come at once and name it as unavailable, while it keeps being retried in
    /// the background.
    private func waitBudget(for name: String, deadline: Duration) -> Duration {
        waits.withLock { waits in
            let now = ContinuousClock.now
            let wait = waits[name] ?? DiscoveryWait(since: now)
            waits[name] = wait
            return wait.failed ? .zero : deadline - (now - wait.since)
        }
    }

    /// Starts the named backends (all for "*") and loads their tools, waiting for them as
    /// long as `discoveryWait`.
    public func warmStart(_ names: [String]) async {
        let all = names.contains("*")
        await discover(backends.filter { $0.settings.enabled && (all || names.contains($0.name)) }, deadline: discoveryWait)
    }

    public func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for backend in backends { group.addTask { await backend.stop() } }
        }
    }
}
