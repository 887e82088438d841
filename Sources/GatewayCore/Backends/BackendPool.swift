// All configured backends by name, with discovery under a per-backend deadline and an
// orderly stop.

import AsyncHTTPClient
import GatewayBackends
import GatewayConfig
import Logging
import MCPProtocol
import Synchronization

public final class BackendPool: Sendable {
    public let backends: [Backend]
    private let byName: [String: Backend]
    /// When a discovery pass last found every enabled backend's tool list known. Passes within
    /// `quietPeriod` of it are skipped: every search, listing and invoke of an unknown server
    /// asks for one, and a pass costs an actor hop and a task per backend.
    private let lastCompletePass = Mutex<ContinuousClock.Instant?>(nil)
    private let quietPeriod: Duration

    public init(settings: [BackendSettings], cacheTTL: Duration, httpClient: HTTPClient, logger: Logger,
                onToolsChanged: @escaping @Sendable (String) -> Void,
                onNotification: @escaping @Sendable (String, String, RawJSON?) -> Void = { _, _, _ in }) {
        backends = settings.map {
            Backend(settings: $0, httpClient: httpClient, cacheTTL: cacheTTL, logger: logger,
                    onToolsChanged: onToolsChanged, onNotification: onNotification)
        }
        byName = Dictionary(backends.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Never longer than the tool-list cache lives, so a stale list still refreshes on time.
        quietPeriod = min(.seconds(1), cacheTTL)
    }

    public var names: [String] { backends.map(\.name) }

    public func backend(named name: String) -> Backend? { byName[name] }

    /// Lists every enabled backend's tools concurrently. Each backend gets `deadline`; a
    /// backend that misses it keeps loading in the background. Backends whose cache is
    /// fresh answer at once; stale ones refresh.
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
                let load = Task { _ = try? await backend.listTools() }
                // A backend with a known (possibly persisted) list refreshes in the background.
                if known { continue }
                group.addTask {
                    await withTaskGroup(of: Void.self) { race in
                        race.addTask { _ = await load.result }
                        race.addTask { try? await Task.sleep(for: deadline) }
                        await race.next()
                        race.cancelAll()
                    }
                }
            }
        }
        return allKnown
    }

    /// Starts the named backends (all for "*") and loads their tools, waiting at most
    /// `deadline` for each.
    public func warmStart(_ names: [String], deadline: Duration) async {
        let all = names.contains("*")
        await discover(backends.filter { $0.settings.enabled && (all || names.contains($0.name)) }, deadline: deadline)
    }

    public func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for backend in backends { group.addTask { await backend.stop() } }
        }
    }
}
