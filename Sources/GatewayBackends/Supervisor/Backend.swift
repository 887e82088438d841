// Supervises one configured backend: lazy start, transport selection (auto-detecting
// Streamable HTTP vs legacy SSE), restart with jittered backoff after failures, re-initialize
// on an expired session, the tool cache with its TTL, and stop. Health pings, the idle stop
// and retiring a session are in Backend+Upkeep.swift.

import AsyncHTTPClient
import Foundation
import GatewayConfig
import Logging
import MCPProtocol
import Synchronization

public actor Backend {
    public nonisolated let name: String
    public nonisolated let settings: BackendSettings
    let httpClient: HTTPClient
    let logger: Logger
    let cacheTTL: Duration
    /// Called (outside the actor) when the backend's tool list changed or was first loaded.
    let onToolsChanged: @Sendable (String) -> Void
    /// Called for the backend's other notifications (resource updates, list changes); its log
    /// messages go to the clients of its calls instead (RPCConnection.logAudience).
    let onNotification: @Sendable (_ server: String, _ method: String, _ params: RawJSON?) -> Void

    /// The running session. Kept in a mutex rather than as actor state so that a call on a
    /// running backend (`request`) reaches it without a hop onto the actor and back.
    nonisolated var session: BackendSession? { runningSessionBox.withLock { $0 } }
    private nonisolated let runningSessionBox = Mutex<BackendSession?>(nil)
    /// `failsafe.retry.budget`: what retries of this backend's calls may still spend.
    public nonisolated let retryBudget = RetryBudget()
    /// The last stderr lines of its process (kept across restarts).
    public nonisolated let stderrTail = StderrTail()
    /// When the last call started or ended, in nanoseconds since `Backend.epoch`; kept only
    /// when `stop_when_idle_for` is set (the idle stop reads it).
    nonisolated let lastCallAt = Atomic<Int64>(0)
    static let epoch = ContinuousClock.now
    private var starting: Task<BackendSession, any Error>?
    var state: BackendState
    var lastError: String?
    /// Why the last start failed, in its own words: what a refusal during the back-off quotes
    /// (quoting `lastError` instead nested every earlier refusal into the next one).
    private var startError: String?
    private var consecutiveFailures = 0
    private var retryNotBefore: ContinuousClock.Instant?
    private var detectedHTTPMode: HTTPMode?
    /// The level the gateway asked for (the most verbose any client wants, see
    /// BackendLogLevel): applied to every session, also ones started later.
    private var logLevel: String?
    /// The level last applied to a session (to notice one chosen while a start was under way).
    private var appliedLogLevel: String?
    /// The era found by the last probe: a handshake-era server is not probed again.
    private var detectedEra: BackendEra?
    var restarts = 0
    /// Health pings missed in a row.
    var missedPings = 0
    private var everStarted = false
    /// The list as the backend sent it (what is persisted, and what `tools/list_changed`
    /// compares against).
    private var tools: [ToolDefinition]?
    /// The list as clients see it: `tools` through `shaper` (the same array without one).
    private var exposedTools: [ToolDefinition]?
    /// `tools`, `rename`, `descriptions`, `arguments`, `max_result_bytes`; nil: nothing shaped.
    public nonisolated let shaper: ToolShaper?
    /// What the shaping did not fit in the last list, as logged (logged again only when it changes).
    public private(set) var shapingProblems: [String] = []
    private var toolsFetchedAt: ContinuousClock.Instant?
    /// Wall-clock time of the list in `tools`, for the persisted catalog.
    private var toolsListedAt: Date?
    /// The fetch in flight, shared by callers that accept its answer.
    private var toolsRefresh: (task: Task<[ToolDefinition], any Error>, id: Int)?
    /// Numbers fetches, so an older answer never overwrites a newer one.
    private var toolsRefreshCount = 0
    private var toolsAppliedID = 0
    var stdioTransport: StdioTransport?
    var stopped = false
    /// Why calls are refused once stopped.
    var stopReason = "gateway is shutting down"
    /// Stopped by `stop_when_idle_for` and not started since.
    var stoppedWhenIdle = false

    /// Makes the transport of each session instead of the settings' transport: for tests that
    /// script a backend's answers, delays, failures and closes in memory.
    let makeTransport: (@Sendable () throws(BackendError) -> any MessageTransport)?

    public init(settings: BackendSettings, httpClient: HTTPClient, cacheTTL: Duration, logger: Logger,
                onToolsChanged: @escaping @Sendable (String) -> Void,
                onNotification: @escaping @Sendable (String, String, RawJSON?) -> Void = { _, _, _ in },
                makeTransport: (@Sendable () throws(BackendError) -> any MessageTransport)? = nil) {
        self.makeTransport = makeTransport
        self.shaper = ToolShaper(settings: settings.shaping)
        self.name = settings.name
        self.settings = settings
        self.httpClient = httpClient
        self.cacheTTL = cacheTTL
        var logger = logger
        logger[metadataKey: "backend"] = "\(settings.name)"
        self.logger = logger
        self.onToolsChanged = onToolsChanged
        self.onNotification = onNotification
        self.state = settings.enabled ? .stopped : .disabled
        noteCall()
    }

    public nonisolated var transportName: String {
        switch settings.transport {
        case .stdio: return "stdio"
        case .http(_, let mode):
            switch mode {
            case .auto: return "http"
            case .streamableHTTP: return "streamable_http"
            case .sse: return "sse"
            }
        case .webSocket: return "websocket"
        }
    }

    /// The running session's transport and negotiated protocol version, read without a hop
    /// onto the actor (for a trace's exchange span); nil while none runs.
    public nonisolated var sessionDetails: (transport: String, protocolVersion: String)? {
        session.map { ($0.transport.kind, $0.protocolVersion) }
    }

    public func status() -> BackendStatus {
        var transport = transportName
        if case .http(_, .auto) = settings.transport, let detectedHTTPMode {
            transport = detectedHTTPMode == .sse ? "sse" : "streamable_http"
        }
        return BackendStatus(name: name, description: settings.description, transport: transport, state: state,
                             toolCount: exposedTools?.count, lastError: lastError, pid: stdioTransport?.pid, restarts: restarts,
                             protocolVersion: session?.protocolVersion, stderrTail: stderrTail.snapshot, missedPings: missedPings)
    }

    public func cachedTools() -> [ToolDefinition]? { exposedTools }

    /// The backend's own definition of its tool `name` (its own name, before any rename).
    public func backendTool(named name: String) -> ToolDefinition? { tools?.first { $0.name == name } }

    // MARK: Session lifecycle

    /// The live session, starting the backend if needed. Concurrent callers share one start.
    public func liveSession() async throws(BackendError) -> BackendSession {
        if stopped { throw .closed(stopReason) }
        if !settings.enabled { throw .disabled }
        if let session, !session.connection.isClosed { return session }
        if let starting { return try await Self.await(starting) }
        if let retryNotBefore, ContinuousClock.now < retryNotBefore {
            throw .unreachable("not restarted yet after \(consecutiveFailures) failed starts; last error: \(startError ?? "unknown")")
        }
        setSession(nil)
        state = .starting
        // The log level is applied before the session is handed to anyone: callers waiting on
        // this start get it when the task ends, and their first request must carry the level.
        let task = Task { () async throws -> BackendSession in
            let opened = try await self.openSession()
            await self.applyLogLevel(to: opened)
            return opened
        }
        starting = task
        do throws(BackendError) {
            let opened = try await Self.await(task)
            starting = nil
            if stopped {
                await opened.close()
                throw BackendError.closed(stopReason)
            }
            setSession(opened)
            state = .running
            stoppedWhenIdle = false
            // A level chosen after the task applied one, while no session was running yet.
            if logLevel != appliedLogLevel { await applyLogLevel(to: opened) }
            if everStarted { restarts += 1 }
            everStarted = true
            consecutiveFailures = 0
            retryNotBefore = nil
            lastError = nil
            startError = nil
            return opened
        } catch {
            starting = nil
            state = .failed
            lastError = error.description
            startError = error.description
            consecutiveFailures += 1
            // Backoff grows only after repeated failures: the first retry is immediate. Half of
            // each delay is random, so backends (and gateways) that failed together do not all
            // retry in the same instant.
            if consecutiveFailures > 1 {
                let delay = min(250 * (1 << min(consecutiveFailures - 2, 7)), 30_000)
                retryNotBefore = ContinuousClock.now + .milliseconds(delay / 2 + Int.random(in: 0...(delay / 2)))
            }
            logger.warning("start failed: \(error)")
            throw error
        }
    }

    /// What a start (spawn or connect, and the handshake) may take: the backend's timeout, at
    /// least 10 s. A process that is slow to start (an interpreter loading, `uvx` resolving) is
    /// not killed by a short call timeout; a call waits for a start only until its own deadline
    /// (`attempt`), and the start goes on for the calls after it.
    nonisolated var startTimeout: Duration { max(settings.timeout, Self.minimumStartTimeout) }
    static let minimumStartTimeout: Duration = .seconds(10)

    /// Whether starts are refused for now after repeated failures.
    private var isBackingOff: Bool {
        session == nil && retryNotBefore.map { ContinuousClock.now < $0 } ?? false
    }

    private static func await(_ task: Task<BackendSession, any Error>) async throws(BackendError) -> BackendSession {
        do {
            return try await task.value
        } catch let error as BackendError {
            throw error
        } catch {
            throw .protocolError("\(error)")
        }
    }

    private func handlers() -> ConnectionHandlers {
        var handlers = ConnectionHandlers()
        handlers.serverName = name
        handlers.onToolsListChanged = { [weak self] in
            guard let self else { return }
            Task { await self.toolsListChanged() }
        }
        let name = self.name
        let forward = onNotification
        handlers.onNotification = { method, params in forward(name, method, params) }
        handlers.onClosed = { [weak self] reason in
            guard let self else { return }
            Task { await self.connectionClosed(reason) }
        }
        handlers.configuredRoots = settings.roots.map(Self.rootsResult)
        return handlers
    }

    /// The `roots/list` result the gateway answers for this backend from `roots:`.
    static func rootsResult(_ roots: [BackendRoot]) -> RawJSON {
        let entries: [JSONValue] = roots.map { root in
            var entry = JSONObject()
            entry["uri"] = .string(root.uri)
            if let name = root.name { entry["name"] = .string(name) }
            return .object(entry)
        }
        return RawJSON(JSONWriter.encode(["roots": .array(entries)]))
    }

    private func openSession() async throws -> BackendSession {
        if let makeTransport { return try await openSession(on: makeTransport()) }
        switch settings.transport {
        case .stdio(let command):
            var environment: [String: String] = [:]
            let parent = ProcessEnvironment.current
            for key in ChildProcess.inheritedVariables { if let value = parent[key] { environment[key] = value } }
            for (key, value) in settings.env { environment[key] = value }
            let transport = StdioTransport(command: command, environment: environment, cwd: settings.cwd, logger: logger,
                                           stderrTail: stderrTail)
            stdioTransport = transport
            return try await openSession(on: transport)
        case .http(let url, let mode):
            let effective = detectedHTTPMode ?? mode
            switch effective {
            case .streamableHTTP:
                return try await openStreamable(url)
            case .sse:
                return try await openLegacySSE(url)
            case .auto:
                do {
                    let session = try await openStreamable(url)
                    detectedHTTPMode = .streamableHTTP
                    return session
                } catch let error as BackendError {
                    guard Self.suggestsLegacySSE(error) else { throw error }
                    logger.info("Streamable HTTP refused (\(error)); trying legacy SSE")
                    let session = try await openLegacySSE(url)
                    detectedHTTPMode = .sse
                    logger.info("using legacy SSE")
                    return session
                }
            }
        case .webSocket(let url):
            let transport = WebSocketTransport(url: url, headers: settings.headers, connectTimeout: startTimeout, logger: logger)
            return try await openSession(on: transport)
        }
    }

    private func openSession(on transport: any MessageTransport) async throws -> BackendSession {
        let requested = detectedEra == .handshake && settings.protocolVersion == .auto
            ? .handshake(ProtocolVersion.latest) : settings.protocolVersion
        let session = try await BackendSession.open(transport: transport, logger: logger, handlers: handlers(),
                                                    timeout: startTimeout, protocol: requested, serverName: name)
        detectedEra = session.era
        return session
    }

    /// The spec's backwards-compatibility rule: a 4xx to the initialize POST means "try SSE".
    static func suggestsLegacySSE(_ error: BackendError) -> Bool {
        switch error {
        case .http(let status, _): return (400..<500).contains(status)
        case .protocolError, .timeout: return true
        default: return false
        }
    }

    private func openStreamable(_ url: String) async throws -> BackendSession {
        let transport = StreamableHTTPTransport(url: url, headers: settings.headers, client: httpClient,
                                                requestTimeout: settings.timeout, logger: logger)
        return try await openSession(on: transport)
    }

    private func openLegacySSE(_ url: String) async throws -> BackendSession {
        let transport = LegacySSETransport(url: url, headers: settings.headers, client: httpClient,
                                           connectTimeout: startTimeout, logger: logger)
        return try await openSession(on: transport)
    }

    func connectionClosed(_ reason: String) {
        guard let session, session.connection.isClosed else { return }
        setSession(nil)
        if !stopped {
            state = .failed
            lastError = reason
            logger.warning("connection lost: \(reason)")
        }
    }

    // MARK: Calls

    /// Relays one request. An expired HTTP session is re-initialized once, transparently.
    /// `timeout` (the backend's `timeout` when nil) is this request's deadline.
    public nonisolated func request(method: String, params: ArraySlice<UInt8>?, hooks: RequestHooks = RequestHooks(),
                                    timeout: Duration? = nil) async throws(BackendError) -> JSONRPCMessage {
        do throws(BackendAttemptFailure) {
            return try await attempt(method: method, params: params, hooks: hooks, timeout: timeout ?? settings.timeout)
        } catch {
            throw error.error
        }
    }

    /// `request`, telling a failure the backend cannot have received (it could not be started
    /// or connected) from one it may have: what a retry of a call with side effects needs.
    public nonisolated func attempt(method: String, params: ArraySlice<UInt8>?, hooks: RequestHooks,
                                    timeout: Duration) async throws(BackendAttemptFailure) -> JSONRPCMessage {
        // Idle means no call since the last one ended: noted at both ends.
        let tracksIdleness = settings.stopWhenIdleFor != nil
        if tracksIdleness { noteCall() }
        defer { if tracksIdleness { noteCall() } }
        let session: BackendSession
        if let running = self.session, !running.connection.isClosed {
            session = running
        } else {
            do throws(BackendError) {
                session = try await liveSession(waitingAtMost: timeout)
            } catch {
                throw BackendAttemptFailure(error, reachedBackend: false)
            }
        }
        do throws(BackendError) {
            return try await session.request(method: method, params: params, timeout: timeout, hooks: hooks)
        } catch {
            return try await recover(from: error, of: session, method: method, params: params, hooks: hooks, timeout: timeout)
        }
    }

    /// After a failed request: an expired session is re-initialized and the request sent once
    /// more; a closed connection is noted. Other failures are the caller's.
    private func recover(from error: BackendError, of session: BackendSession, method: String,
                         params: ArraySlice<UInt8>?, hooks: RequestHooks,
                         timeout: Duration) async throws(BackendAttemptFailure) -> JSONRPCMessage {
        switch error {
        case .sessionExpired:
            // The backend refused the request unread: until it is sent again, it was not received.
            logger.info("session expired; re-initializing")
            if self.session === session { setSession(nil) }
            await session.close()
            let fresh: BackendSession
            do throws(BackendError) {
                fresh = try await liveSession()
            } catch {
                throw BackendAttemptFailure(error, reachedBackend: false)
            }
            do throws(BackendError) {
                return try await fresh.request(method: method, params: params, timeout: timeout, hooks: hooks)
            } catch {
                throw BackendAttemptFailure(error, reachedBackend: true)
            }
        case .closed:
            connectionClosed(error.description)
            throw BackendAttemptFailure(error, reachedBackend: true)
        default:
            throw BackendAttemptFailure(error, reachedBackend: true)
        }
    }

    /// The live session, starting the backend if needed, waiting for the start at most `limit`
    /// (the call's deadline); the start itself goes on, shared with the calls after.
    private nonisolated func liveSession(waitingAtMost limit: Duration) async throws(BackendError) -> BackendSession {
        let start = Task { try await self.liveSession() }
        let first = await withTaskGroup(of: Result<BackendSession, BackendError>?.self) { group in
            group.addTask {
                do { return .success(try await start.value) } catch { return .failure(Self.asBackendError(error)) }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let first else {
            throw Task.isCancelled ? .cancelled : .timeout(seconds: Double(limit.saturatingNanoseconds) / 1e9)
        }
        return try first.get()
    }

    /// Marks now as the backend's last call (for `stop_when_idle_for`).
    nonisolated func noteCall() {
        lastCallAt.store(Int64((ContinuousClock.now - Self.epoch).saturatingNanoseconds), ordering: .relaxed)
    }

    /// Remembers the level and applies it to the running session, if any; starts nothing.
    public func setLogLevel(_ level: String) async {
        logLevel = level
        if let session = runningSession() { await applyLogLevel(to: session) }
    }

    /// Applies the remembered level (if any) to `session`.
    private func applyLogLevel(to session: BackendSession) async {
        guard let level = logLevel else { return }
        appliedLogLevel = level
        await Self.apply(logLevel: level, to: session)
    }

    private static func apply(logLevel: String, to session: BackendSession) async {
        guard session.era == .modern || session.declares("logging") else { return }
        let params = JSONWriter.encode(["level": .string(logLevel)])
        _ = try? await session.request(method: "logging/setLevel", params: params[...], timeout: .seconds(5))
    }

    func setSession(_ value: BackendSession?) {
        runningSessionBox.withLock { $0 = value }
    }

    /// The session if the backend is running now; never starts it.
    public func runningSession() -> BackendSession? {
        guard let session, !session.connection.isClosed else { return nil }
        return session
    }

    // MARK: Tools

    /// The tool list: cached while fresh, else fetched (one fetch shared by all callers).
    /// `forceRefresh` asks for a list fetched after the call: a fetch already in flight may
    /// have been answered before the change that prompted the refresh (a server answers
    /// requests concurrently, so its `list_changed` can overtake the stale answer), so it is
    /// let land and then followed by a new one, unless someone started a newer one meanwhile.
    public func listTools(forceRefresh: Bool = false) async throws(BackendError) -> [ToolDefinition] {
        if !forceRefresh, let exposedTools, let at = toolsFetchedAt, ContinuousClock.now - at < cacheTTL {
            return exposedTools
        }
        // Stopped for idleness: the list it had stands until a call starts it again (refreshing
        // it would start the process the idle stop just ended).
        if !forceRefresh, stoppedWhenIdle, let exposedTools { return exposedTools }
        if let inFlight = toolsRefresh {
            if !forceRefresh { return exposed(try await Self.join(inFlight.task)) }
            _ = try? await inFlight.task.value
            if let newer = toolsRefresh, newer.id != inFlight.id { return exposed(try await Self.join(newer.task)) }
        }
        toolsRefreshCount += 1
        let id = toolsRefreshCount
        let task = Task { () async throws -> [ToolDefinition] in
            let session = try await self.liveSession()
            do throws(BackendError) {
                return try await session.listTools(timeout: self.settings.timeout)
            } catch .sessionExpired {
                await session.close()
                return try await self.liveSession().listTools(timeout: self.settings.timeout)
            }
        }
        toolsRefresh = (task, id)
        do {
            let fresh = try await task.value
            if toolsRefresh?.id == id { toolsRefresh = nil }
            lastError = nil
            // A newer fetch already applied its list: this answer is older, keep that one.
            guard id > toolsAppliedID else { return exposed(fresh) }
            toolsAppliedID = id
            let changed = tools != fresh
            if changed || exposedTools == nil { setTools(fresh) }
            toolsFetchedAt = .now
            toolsListedAt = Date()
            if changed { onToolsChanged(name) }
            return exposed(fresh)
        } catch {
            if toolsRefresh?.id == id { toolsRefresh = nil }
            let failure = Self.asBackendError(error)
            // A refusal during the start back-off says nothing new: the start's error stays.
            if !isBackingOff { lastError = "tools/list: \(failure)" }
            logger.warning("tools/list failed: \(failure)")
            throw failure
        }
    }

    /// Keeps the backend's list and its shaped form; a shaping problem is logged when it first shows.
    private func setTools(_ list: [ToolDefinition]) {
        tools = list
        guard let shaper else {
            exposedTools = list
            return
        }
        let (shaped, problems) = shaper.shape(list)
        exposedTools = shaped
        if problems != shapingProblems {
            for problem in problems where !shapingProblems.contains(problem) { logger.warning("tool shaping: \(problem)") }
            shapingProblems = problems
        }
    }

    /// The backend's `list` as clients see it: the kept shaped list when `list` is the one kept
    /// (a fetch shared with the caller that applied it), else shaped anew.
    private func exposed(_ list: [ToolDefinition]) -> [ToolDefinition] {
        guard let shaper else { return list }
        if let exposedTools, tools == list { return exposedTools }
        return shaper.shape(list).tools
    }

    private static func join(_ task: Task<[ToolDefinition], any Error>) async throws(BackendError) -> [ToolDefinition] {
        do { return try await task.value } catch { throw asBackendError(error) }
    }

    /// Seeds the cache from a persisted catalog, so listing and search work before the
    /// backend starts. A list younger than the cache TTL counts as fresh: no spawn needed.
    public func seedTools(_ seeded: [ToolDefinition], listedAt: Date) {
        guard tools == nil else { return }
        setTools(seeded)
        toolsListedAt = listedAt
        let age = Date().timeIntervalSince(listedAt)
        if age >= 0, age < Double(cacheTTL.components.seconds) {
            toolsFetchedAt = ContinuousClock.now - .milliseconds(Int64(age * 1000))
        }
    }

    /// The tool list and when it was listed, for persisting.
    public func persistableTools() -> (tools: [ToolDefinition], listedAt: Date)? {
        guard let tools, let toolsListedAt else { return nil }
        return (tools, toolsListedAt)
    }

    /// Whether listing can answer without waiting for this backend (it has some list).
    public func hasToolList() -> Bool { tools != nil }

    private func toolsListChanged() async {
        logger.info("tools/list_changed received; refreshing")
        toolsFetchedAt = nil
        _ = try? await listTools(forceRefresh: true)
    }

    static func asBackendError(_ error: any Error) -> BackendError {
        (error as? BackendError) ?? .protocolError("\(error)")
    }

    // MARK: Stop

    public func stop() async {
        stopped = true
        starting?.cancel()
        let current = session
        setSession(nil)
        if state != .disabled { state = .stopped }
        await current?.close()
        if let stdioTransport { await stdioTransport.close() }
    }
}
