// The live catalog: the backends' tool lists merged into one snapshot with a search
// index. Rebuilt off the request path when a backend reports new tools; listeners (the
// front ends) are told so they can send `notifications/tools/list_changed`.

import GatewayBackends
import GatewayCapabilities
import GatewayGovernance
import Logging
import MCPProtocol
import Synchronization
import ToolSearch

public final class Catalog: Sendable {
    let pool: BackendPool
    let capabilities: CapabilityCatalog?
    /// Tool pinning: every list passes it when a snapshot is built (as is in mode `off`).
    public let pinning: PinRegistry
    let logger: Logger
    private let snapshotBox = Mutex<CatalogSnapshot>(.empty)
    private let listeners = Mutex<[UInt64: @Sendable (CatalogSnapshot) -> Void]>([:])
    private let nextListener = Atomic<UInt64>(1)
    /// Rebuilds one at a time, bursts coalesced.
    private let rebuilds: CoalescingRunner
    /// How the next snapshot's index ranks (meta_mcp.search); a change rebuilds the index.
    private let searchMode: Mutex<SearchMode>
    /// Set when the index must be rebuilt although no tool changed (a new search mode).
    private let indexStale = Atomic<Bool>(false)
    /// Where the tool vectors are saved across restarts (beside the catalog cache), and the
    /// vectors themselves once hybrid search first needs them.
    private let vectorStore: SearchVectorStore?
    private let vectorCache = Mutex<ToolVectorCache?>(nil)

    public init(pool: BackendPool, capabilities: CapabilityCatalog? = nil, pinning: PinRegistry? = nil,
                searchMode: SearchMode = .hybrid, catalogCachePath: String? = nil, logger: Logger) {
        self.pool = pool
        self.searchMode = Mutex(searchMode)
        self.vectorStore = catalogCachePath.map { SearchVectorStore(catalogCachePath: $0, logger: logger) }
        self.capabilities = capabilities
        self.pinning = pinning ?? PinRegistry(mode: .off, store: nil, logger: logger)
        self.logger = logger
        self.rebuilds = CoalescingRunner()
    }

    public static let capabilitiesDescription = "REST and GraphQL APIs served as tools (capability files)"

    public var snapshot: CatalogSnapshot { snapshotBox.withLock { $0 } }

    /// Switches the ranking for searches after the rebuild this schedules (config reload).
    public func setSearchMode(_ mode: SearchMode) {
        let changed = searchMode.withLock { current in
            defer { current = mode }
            return current != mode
        }
        guard changed else { return }
        indexStale.store(true, ordering: .releasing)
        scheduleRebuild()
    }

    /// The embedder hybrid mode ranks with; nil (lexical) when the mode is lexical or the model is
    /// missing, which is logged once: a key that silently did nothing would be worse.
    private func embedder(for mode: SearchMode) -> StaticEmbedder? {
        guard mode == .hybrid else { return nil }
        switch StaticEmbedder.shared {
        case .success(let embedder): return embedder
        case .failure(let error):
            if !modelWarningLogged.exchange(true, ordering: .relaxed) {
                logger.warning("meta_mcp.search is hybrid but the search model cannot be loaded; searching lexically",
                               metadata: ["error": "\(error)"])
            }
            return nil
        }
    }
    private let modelWarningLogged = Atomic<Bool>(false)

    /// Registers a listener for catalog changes; returns a token for `removeListener`.
    @discardableResult
    public func addListener(_ listener: @escaping @Sendable (CatalogSnapshot) -> Void) -> UInt64 {
        let id = nextListener.wrappingAdd(1, ordering: .relaxed).oldValue
        listeners.withLock { $0[id] = listener }
        return id
    }

    public func removeListener(_ id: UInt64) {
        listeners.withLock { $0[id] = nil }
    }

    /// Rebuilds and returns once a rebuild that started after this call has finished.
    /// Bursts coalesce: while one rebuild runs, every caller shares the single next one.
    public func rebuild() async {
        await rebuilds.run { await self.rebuildOnce() }
    }

    /// Something changed (a backend's tools, a capability file): rebuild soon.
    public func scheduleRebuild() {
        changes.add(1, ordering: .acquiringAndReleasing)
        Task { await self.rebuild() }
    }

    /// What the clients see changed without the catalog changing (the meta-tools switched on or
    /// off, other tools surfaced): the next rebuild tells the listeners anyway.
    public func announceChange() {
        forceAnnounce.store(true, ordering: .releasing)
        scheduleRebuild()
    }

    private let forceAnnounce = Atomic<Bool>(false)

    /// Bumped by every change report; a finished rebuild records the value it started from,
    /// so a search that changed nothing never pays for a rebuild (nor waits for one).
    private let changes = Atomic<Int>(1)
    private let builtFrom = Atomic<Int>(0)

    private func rebuildOnce() async {
        let startedFrom = changes.load(ordering: .acquiring)
        defer { builtFrom.store(startedFrom, ordering: .releasing) }
        var entries: [CatalogEntry] = []
        var servers: [(name: String, description: String)] = []
        var unavailable: [String] = []
        for backend in pool.backends {
            servers.append((backend.name, backend.settings.description))
            guard backend.settings.enabled else { continue }
            guard let tools = await backend.cachedTools() else {
                unavailable.append(backend.name)
                continue
            }
            // Held tools (enforce) are left out; changed ones (warn) carry their flag.
            for admitted in pinning.admit(server: backend.name, tools: tools) {
                entries.append(CatalogEntry(server: backend.name, tool: admitted.tool, pinChange: admitted.change))
            }
        }
        if let capabilities {
            servers.append((capabilities.serverName, Self.capabilitiesDescription))
            for (tool, isBuiltIn) in capabilities.toolsWithOrigin {
                entries.append(CatalogEntry(server: capabilities.serverName, tool: tool, isBuiltIn: isBuiltIn))
            }
        }
        let previous = snapshot
        let stale = indexStale.exchange(false, ordering: .acquiringAndReleasing)
        let changed = forceAnnounce.exchange(false, ordering: .acquiringAndReleasing)
            || previous.entries.count != entries.count
            || zip(previous.entries, entries).contains { $0.server != $1.server || $0.tool != $1.tool || $0.pinChange != $1.pinChange }
        guard changed || stale || previous.generation == 0 || previous.unavailableServers != unavailable else { return }
        let embedder = embedder(for: searchMode.withLock { $0 })
        let cache = embedder.map { embedder in
            vectorCache.withLock { cache in
                if let cache { return cache }
                let loaded = vectorStore?.load(for: embedder) ?? ToolVectorCache(modelID: embedder.modelID, dimension: embedder.dimension)
                cache = loaded
                return loaded
            }
        }
        let next = CatalogSnapshot(entries: entries, servers: servers, unavailableServers: unavailable,
                                   generation: previous.generation + 1, embedder: embedder, vectorCache: cache)
        snapshotBox.withLock { $0 = next }
        logger.debug("catalog rebuilt: \(entries.count) tools from \(servers.count) backends")
        if changed {
            for listener in listeners.withLock({ Array($0.values) }) { listener(next) }
        }
        // After publishing: searches need not wait for the file. Rebuilds run one at a time, so
        // no other build touches the cache's bookkeeping before it is written.
        if let cache, cache.hasNewVectors { vectorStore?.save(cache) }
    }

    /// Makes sure every enabled backend has been asked for its tools, waiting for a backend's
    /// first list at most the pool's `discoveryWait` in all; slow ones finish in the background
    /// and update the catalog then.
    public func ensureDiscovered() async {
        await pool.discover(deadline: pool.discoveryWait)
        if changes.load(ordering: .acquiring) != builtFrom.load(ordering: .acquiring) {
            await rebuild()
        }
    }
}
