// Answers the MCP methods of the gateway's own endpoint: initialize, ping, tools/list
// (meta-tools plus surfaced tools), tools/call, and the small housekeeping methods.
// Transport-agnostic: front ends decode, call `handle`, and write what it returns.

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

public final class MCPDispatcher: Sendable {
    let config: GatewayConfig
    /// `meta_mcp.enabled` in force (a reload may switch it): read by every request, so an atomic.
    private let metaToolsOn: Atomic<Bool>
    /// `meta_mcp.surfaced_tools` in force.
    private let surfacedSettings: Mutex<[SurfacedTool]>
    let pool: BackendPool
    let catalog: Catalog
    let pipeline: CallPipeline
    /// The backends' circuit breakers, for gateway_list_servers.
    let breakers: CircuitBreakers?
    /// Every request passes it before dispatch.
    let requests: RequestChain
    let capabilities: CapabilityCatalog?
    /// The scopes in force: what each principal sees in listings and search.
    public let access: AccessControl
    let logger: Logger
    /// Requests, their latency and outcome, and searches (nil: `telemetry.metrics` off).
    public let metrics: GatewayMetrics?
    /// Tool statistics for `include: ["stats"]` (nil: `telemetry.profiles` off).
    let profiles: ToolProfiles?
    /// Spans per request and search (nil: `telemetry.otlp` unset).
    let tracer: GatewayTracer?
    let namespacer = ToolNamespacer()
    let resources: ResourceMethods
    let prompts: PromptMethods
    let multiRoundTrip = MultiRoundTripCalls(sealer: RequestStateSealer(), parked: ParkedCalls())
    let startup = StartupGate()
    /// The level the backends log at, derived from every client's `logging/setLevel`.
    public let backendLogLevel: BackendLogLevel
    private let surfacedCache = Mutex<SurfacedTools?>(nil)
    /// Wrapped in a struct: a bare optional closure in a Mutex is reabstracted on every
    /// access and grows a chain of thunks (quadratic cost; BENCHMARKS.md has the measurement).
    private struct Hook: Sendable { let run: @Sendable () -> Void }
    private let firstClientHook = Mutex<Hook?>(nil)

    var onFirstClient: (@Sendable () -> Void)? {
        get { firstClientHook.withLock { $0 }?.run }
        set { firstClientHook.withLock { $0 = newValue.map(Hook.init(run:)) } }
    }

    init(config: GatewayConfig, pool: BackendPool, catalog: Catalog, pipeline: CallPipeline, requests: RequestChain,
         subscriptions: ResourceSubscriptions, capabilities: CapabilityCatalog?, access: AccessControl,
         breakers: CircuitBreakers? = nil, metrics: GatewayMetrics? = nil, profiles: ToolProfiles? = nil,
         tracer: GatewayTracer? = nil, webhooks: WebhookInbox? = nil, logger: Logger) {
        metaToolsOn = Atomic(config.metaMCP.enabled)
        self.tracer = tracer
        self.metrics = metrics
        self.profiles = profiles
        surfacedSettings = Mutex(config.metaMCP.surfacedTools)
        self.breakers = breakers
        self.capabilities = capabilities
        self.access = access
        self.config = config
        self.pool = pool
        self.catalog = catalog
        self.pipeline = pipeline
        self.requests = requests
        self.logger = logger
        self.resources = ResourceMethods(pool: pool, subscriptions: subscriptions, webhooks: webhooks)
        self.prompts = PromptMethods(pool: pool, namespacer: namespacer, maxNameLength: config.server.limits.maxNameLength)
        self.backendLogLevel = BackendLogLevel(pool: pool)
    }

    public static let serverInfo: JSONValue = ["name": "mcp-gateway", "version": .string(GatewayVersion.current)]
    static let serverInfoMeta = ModernEra.serverInfoMeta(serverInfo)

    /// Backends plus the capabilities server.
    var serverCount: Int { pool.backends.count + (capabilities == nil ? 0 : 1) }

    static let serverCapabilities: JSONValue = [
        "tools": ["listChanged": true],
        "prompts": ["listChanged": true],
        "resources": ["subscribe": true, "listChanged": true],
        "logging": .object(JSONObject()),
    ]

    /// The catalog as `principal` sees it.
    public func view(for principal: Principal) -> CatalogView {
        access.view(of: catalog.snapshot, for: principal)
    }

    /// Servers `principal` may see: backends plus the capabilities server.
    func serverCount(in view: CatalogView) -> Int {
        guard view.isFiltered else { return serverCount }
        return pool.names.filter(view.isServerVisible).count + (capabilities.map { view.isServerVisible($0.serverName) ? 1 : 0 } ?? 0)
    }

    func instructions(for principal: Principal) -> String {
        let view = view(for: principal)
        return MetaToolDefinitions.instructions(serverCount: serverCount(in: view), toolCount: view.entries.count)
    }

    /// The initialize result for a client that asked for `requestedVersion`.
    public func initializeResult(requestedVersion: String?, principal: Principal) -> JSONValue {
        onFirstClient?()
        return [
            "protocolVersion": .string(ProtocolVersion.negotiate(requested: requestedVersion)),
            "capabilities": Self.serverCapabilities,
            "serverInfo": Self.serverInfo,
            "instructions": .string(instructions(for: principal)),
        ]
    }

    /// `server/discover` (2026-07-28): versions, capabilities and instructions; no session.
    public func discoverResult(principal: Principal) -> JSONValue {
        onFirstClient?()
        return [
            "supportedVersions": .array(ModernEra.supportedVersions.map { .string($0) }),
            "capabilities": ["tools": ["listChanged": true], "prompts": ["listChanged": true],
                             "resources": ["listChanged": true]],
            "instructions": .string(instructions(for: principal)),
        ]
    }

    /// One 2026-07-28 request (the envelope already checked): the era's methods only, and
    /// every result decorated as that era requires. `subscriptions/listen` is a stream and
    /// belongs to the front end. `params` are the message's params members when the front end
    /// has scanned them already.
    public func handleModern(_ message: JSONRPCMessage, params: [JSONScanner.Member]? = nil,
                             channel: ModernClientChannel) async -> [UInt8]? {
        if let tracer, message.kind == .request { return await handleModernTraced(message, params: params, channel: channel, tracer: tracer) }
        return await measuredModern(message, params: params, channel: channel)
    }

    /// Tracing on: the request in its server span. Out of line, like the other traced paths:
    /// the untraced path keeps its async frames as small as before tracing (a larger frame
    /// costs the task allocator a slab, ~1.5k instructions a call in callgrind).
    @inline(never)
    private func handleModernTraced(_ message: JSONRPCMessage, params: [JSONScanner.Member]?, channel: ModernClientChannel,
                                    tracer: GatewayTracer) async -> [UInt8]? {
        let span = RequestSpan(message, params: params ?? message.paramsMembers, context: channel.context)
        return await tracer.withSpan(span.name, kind: .server, parent: span.parent, attributes: span.attributes) { span in
            let reply = await measuredModern(message, params: params, channel: channel)
            RequestSpan.finish(span, reply: reply)
            return reply
        }
    }

    private func measuredModern(_ message: JSONRPCMessage, params: [JSONScanner.Member]?,
                                channel: ModernClientChannel) async -> [UInt8]? {
        guard let metrics else { return await answerModern(message, params: params, channel: channel) }
        let start = MonotonicNanoseconds.now()
        let reply = await answerModern(message, params: params, channel: channel)
        record(message, reply: reply, context: channel.context, since: start, in: metrics)
        return reply
    }

    private func answerModern(_ message: JSONRPCMessage, params: [JSONScanner.Member]?,
                              channel: ModernClientChannel) async -> [UInt8]? {
        guard message.kind == .request, let method = message.method else { return nil }
        await startup.wait()
        onFirstClient?()
        guard ModernEra.methods.contains(method), method != "subscriptions/listen" else {
            return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.methodNotFound, message: "Method not found: \(method)")
        }
        if !requests.isEmpty, let refusal = await requests.check(IncomingRequest(method: method, principal: channel.context.principal)) {
            return JSONRPCEncoder.error(id: message.id, error: refusal)
        }
        let reply: [UInt8]?
        if method == "server/discover" {
            reply = JSONRPCEncoder.result(id: message.id, result: discoverResult(principal: channel.context.principal))
        } else if method == "tools/call" {
            let members = params ?? message.paramsMembers
            let token = channel.progressToken
            reply = await multiRoundTrip.toolsCall(message, params: members, channel: channel) { [self] callChannel in
                await self.toolsCall(message, params: members, progressToken: .known(token), channel: callChannel)
            }
        } else {
            reply = await dispatch(message, channel: channel)
        }
        // Listings filtered per principal are that principal's: not for shared caches.
        let privateCache = access.isInForce
        return reply.map { ModernEra.decorate(response: $0, method: method, meta: Self.serverInfoMeta, privateCache: privateCache) }
    }

    /// Handles one request or notification; returns the response bytes for requests.
    public func handle(_ message: JSONRPCMessage, channel: any ClientChannel) async -> [UInt8]? {
        if let tracer, message.kind == .request { return await handleTraced(message, channel: channel, tracer: tracer) }
        // `measured`'s lines, written out: the hot path keeps the frames it had before tracing.
        guard let metrics, message.kind == .request else { return await answer(message, channel: channel) }
        let start = MonotonicNanoseconds.now()
        let reply = await answer(message, channel: channel)
        record(message, reply: reply, context: channel.context, since: start, in: metrics)
        return reply
    }

    @inline(never)
    private func handleTraced(_ message: JSONRPCMessage, channel: any ClientChannel, tracer: GatewayTracer) async -> [UInt8]? {
        let span = RequestSpan(message, params: message.paramsMembers, context: channel.context)
        return await tracer.withSpan(span.name, kind: .server, parent: span.parent, attributes: span.attributes) { span in
            let reply = await measured(message, channel: channel)
            RequestSpan.finish(span, reply: reply)
            return reply
        }
    }

    private func measured(_ message: JSONRPCMessage, channel: any ClientChannel) async -> [UInt8]? {
        guard let metrics, message.kind == .request else { return await answer(message, channel: channel) }
        let start = MonotonicNanoseconds.now()
        let reply = await answer(message, channel: channel)
        record(message, reply: reply, context: channel.context, since: start, in: metrics)
        return reply
    }

    /// A request a front end answered itself (`initialize` opening a session), for the metrics;
    /// `failed` for a refusal answered other than by a JSON-RPC error (an HTTP status).
    public func recordAnswered(_ message: JSONRPCMessage, reply: [UInt8]?, context: ClientContext,
                               since start: Int64, failed: Bool = false) {
        if let metrics { record(message, reply: reply, context: context, since: start, in: metrics, failed: failed) }
        if let tracer, message.kind == .request {
            let span = RequestSpan(message, params: message.paramsMembers, context: context)
            let failure = failed ? ReplyFailure(type: "refused") : reply.flatMap(ReplyFailure.of)
            tracer.record(span.name, kind: .server, parent: span.parent, elapsedNanoseconds: MonotonicNanoseconds.now() - start,
                          attributes: span.attributes(failure: failure), failed: failure != nil)
        }
    }

    /// `start`: MonotonicNanoseconds when the request came in.
    private func record(_ message: JSONRPCMessage, reply: [UInt8]?, context: ClientContext,
                        since start: Int64, in metrics: GatewayMetrics, failed: Bool = false) {
        guard message.kind == .request else { return }
        metrics.recordRequest(frontEnd: context.frontEnd.rawValue, protocolVersion: context.protocolVersion,
                              method: message.method ?? "", failed: failed || (reply.map(JSONScanner.isErrorResponse) ?? false),
                              bytesIn: message.bytes.count, bytesOut: reply?.count ?? 0,
                              nanoseconds: MonotonicNanoseconds.now() - start)
    }

    private func answer(_ message: JSONRPCMessage, channel: any ClientChannel) async -> [UInt8]? {
        guard message.kind == .request else { return nil }
        await startup.wait()
        if !requests.isEmpty,
           let refusal = await requests.check(IncomingRequest(method: message.method ?? "", principal: channel.context.principal)) {
            return JSONRPCEncoder.error(id: message.id, error: refusal)
        }
        return await dispatch(message, channel: channel)
    }

    /// The request chain's verdict, for requests a front end answers itself (initialize,
    /// `subscriptions/listen`, `/mcp/{backend}`): nil lets it through.
    public func check(_ request: IncomingRequest) async -> JSONRPCErrorObject? {
        await requests.check(request)
    }

    /// One request `/mcp/{backend}` relays to `server`, after the request chain: through the
    /// call pipeline like every backend-bound operation. `params` are the client's, with any
    /// progress token already taken out.
    public func relay(_ message: JSONRPCMessage, method: String, params: ArraySlice<UInt8>?, to server: String,
                      hooks: RequestHooks, principal: Principal, origin: CallOrigin = .unknown) async -> [UInt8] {
        guard let tracer else {
            return await measuredRelay(message, method: method, params: params, to: server, hooks: hooks, principal: principal, origin: origin)
        }
        return await relayTraced(message, method: method, params: params, to: server, hooks: hooks, principal: principal, origin: origin,
                                 tracer: tracer)
    }

    @inline(never)
    private func relayTraced(_ message: JSONRPCMessage, method: String, params: ArraySlice<UInt8>?, to server: String,
                             hooks: RequestHooks, principal: Principal, origin: CallOrigin, tracer: GatewayTracer) async -> [UInt8] {
        let context = ClientContext(principal: principal, protocolVersion: origin.protocolVersion, frontEnd: .direct)
        var span = RequestSpan(message, method: method, params: message.paramsMembers, context: context)
        span.backend = server
        return await tracer.withSpan(span.name, kind: .server, parent: span.parent, attributes: span.attributes) { span in
            let reply = await measuredRelay(message, method: method, params: params, to: server, hooks: hooks, principal: principal, origin: origin)
            RequestSpan.finish(span, reply: reply)
            return reply
        }
    }

    private func measuredRelay(_ message: JSONRPCMessage, method: String, params: ArraySlice<UInt8>?, to server: String,
                               hooks: RequestHooks, principal: Principal, origin: CallOrigin) async -> [UInt8] {
        guard let metrics else {
            return await relayed(message, method: method, params: params, to: server, hooks: hooks, principal: principal, origin: origin)
        }
        let start = MonotonicNanoseconds.now()
        let reply = await relayed(message, method: method, params: params, to: server, hooks: hooks, principal: principal, origin: origin)
        metrics.recordRequest(frontEnd: FrontEnd.direct.rawValue, protocolVersion: origin.protocolVersion, method: method,
                              failed: JSONScanner.isErrorResponse(reply), bytesIn: message.bytes.count, bytesOut: reply.count,
                              nanoseconds: MonotonicNanoseconds.now() - start)
        return reply
    }

    private func relayed(_ message: JSONRPCMessage, method: String, params: ArraySlice<UInt8>?, to server: String,
                         hooks: RequestHooks, principal: Principal, origin: CallOrigin) async -> [UInt8] {
        if !requests.isEmpty, let refusal = await requests.check(IncomingRequest(method: method, principal: principal, directServer: server)) {
            return JSONRPCEncoder.error(id: message.id, error: refusal)
        }
        // The params stay bytes: only the member naming the target is read, by scanning (a
        // relayed call's arguments can be large, and the backend gets them as they came).
        let forwarded = params.map { Array($0) } ?? []
        let members = forwarded.isEmpty ? [] : ((try? JSONScanner.members(of: forwarded)) ?? [])
        let member: (String) -> String? = { key in
            members.first { $0.key == key }.flatMap { JSONScanner.string(in: forwarded, range: $0.range) }
        }
        let operation: BackendCall.Operation
        var arguments = forwarded
        switch method {
        case "tools/call":
            guard let name = member("name") else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "tools/call needs params.name")
            }
            operation = .tool(name)
            arguments = members.first { $0.key == "arguments" }.map { Array(forwarded[$0.range]) } ?? Array("{}".utf8)
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            guard let uri = member("uri") else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "\(method) needs params.uri")
            }
            operation = method == "resources/read" ? .resourceRead(uri: uri) : .resourceSubscription(uri: uri, subscribe: method == "resources/subscribe")
        case "prompts/get":
            guard let name = member("name") else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "prompts/get needs params.name")
            }
            operation = .prompt(name)
        default:
            operation = .relayed(method: method)
        }
        let call = BackendCall(server: server, operation: operation, principal: principal, arguments: arguments, hooks: hooks,
                               origin: origin)
        switch await pipeline.run(call) {
        case .result(let result): return JSONRPCEncoder.result(id: message.id, result: result.bytes[...])
        case .backendError(let error): return JSONRPCEncoder.error(id: message.id, error: error)
        case .failure(let error): return JSONRPCEncoder.error(id: message.id, error: error.rpcError)
        case .refused(let refusal): return JSONRPCEncoder.error(id: message.id, error: refusal.error)
        }
    }

    /// A request past the request chain.
    private func dispatch(_ message: JSONRPCMessage, channel: any ClientChannel) async -> [UInt8]? {
        let id = message.id
        switch message.method ?? "" {
        case "initialize":
            let params = try? message.paramsValue()
            return JSONRPCEncoder.result(id: id, result: initializeResult(requestedVersion: params?["protocolVersion"]?.stringValue,
                                                                          principal: channel.context.principal))
        case "ping":
            return JSONRPCEncoder.result(id: id, result: Array("{}".utf8)[...])
        case "tools/list":
            return JSONRPCEncoder.result(id: id, result: await toolsList(for: channel.context.principal))
        case "tools/call":
            return await toolsCall(message, channel: channel)
        case "logging/setLevel":
            return await setLogLevel(message, channel: channel)
        case "prompts/list":
            return JSONRPCEncoder.result(id: id, result: await prompts.list(visibleTo: access.access(for: channel.context.principal)))
        case "prompts/get":
            return Self.reply(id, await prompts.get((try? message.paramsValue()) ?? .null, principal: channel.context.principal,
                                                    pipeline: pipeline, origin: channel.context.origin).map { .raw($0) })
        case "resources/list":
            return JSONRPCEncoder.result(id: id, result: await resources.list(visibleTo: access.access(for: channel.context.principal)))
        case "resources/templates/list":
            return JSONRPCEncoder.result(id: id, result: await resources.templates(visibleTo: access.access(for: channel.context.principal)))
        case "resources/read":
            return Self.reply(id, await resources.read((try? message.paramsValue()) ?? .null, principal: channel.context.principal,
                                                       pipeline: pipeline, origin: channel.context.origin))
        case "resources/subscribe", "resources/unsubscribe":
            return Self.reply(id, await resources.subscribe((try? message.paramsValue()) ?? .null,
                                                            subscriber: channel.context.sessionID,
                                                            unsubscribe: message.method == "resources/unsubscribe",
                                                            principal: channel.context.principal, pipeline: pipeline,
                                                            origin: channel.context.origin))
        case let method:
            return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.methodNotFound, message: "Method not found: \(method)")
        }
    }

    static func reply(_ id: JSONRPCID?, _ outcome: Result<JSONValue, JSONRPCErrorObject>) -> [UInt8] {
        switch outcome {
        case .success(let value): return JSONRPCEncoder.result(id: id, result: value)
        case .failure(let error): return JSONRPCEncoder.error(id: id, error: error)
        }
    }

    // MARK: tools/list

    /// The `x-mcp-header` map of a tool listed directly (surfaced, or every tool without
    /// meta-tools), for checking a 2026-07-28 call's `Mcp-Param-*` headers; nil when it has none.
    public func paramHeaderMap(ofExposedTool name: String) async -> ParamHeaderMap? {
        guard let entry = await surfaced().byName[name],
              let tool = catalog.snapshot.entry(server: entry.server, tool: entry.tool)?.tool,
              tool.inputSchema.string.contains(ParamHeaderMap.annotationKey),
              let schema = try? tool.inputSchema.parsed(),
              case .success(let map) = ParamHeaderMap.parse(schema: schema) else { return nil }
        return map
    }

    /// Whether the client sees the meta-tools (`meta_mcp.enabled` in force).
    var metaToolsEnabled: Bool { metaToolsOn.load(ordering: .relaxed) }

    /// Puts a reloaded `meta_mcp.enabled` and `surfaced_tools` in force; true when they changed
    /// (the tools clients see changed: they must be told).
    func updateMetaTools(enabled: Bool, surfaced: [SurfacedTool]) -> Bool {
        let surfacedChanged = surfacedSettings.withLock { current -> Bool in
            defer { current = surfaced }
            return current != surfaced
        }
        let enabledChanged = metaToolsOn.exchange(enabled, ordering: .relaxed) != enabled
        guard surfacedChanged || enabledChanged else { return false }
        surfacedCache.withLock { $0 = nil }
        return true
    }

    func surfaced() async -> SurfacedTools {
        let snapshot = catalog.snapshot
        if let cached = surfacedCache.withLock({ $0 }), cached.generation == snapshot.generation { return cached }
        let wanted: [SurfacedTool]
        if metaToolsEnabled {
            wanted = surfacedSettings.withLock { $0 }
        } else {
            // Without meta-tools, every backend tool is listed directly.
            wanted = snapshot.entries.map { SurfacedTool(server: $0.server, tool: $0.tool.name) }
        }
        let fresh = SurfacedTools(config: wanted, snapshot: snapshot, namespacer: namespacer)
        surfacedCache.withLock { $0 = fresh }
        return fresh
    }

    /// Waits (up to the discovery deadline) for the tool lists of the backends whose tools are
    /// listed directly, if any of them has none yet: a client may list or call those tools
    /// before anything started their backends.
    private func discoverSurfacedBackends() async {
        let needed = metaToolsEnabled ? Set(surfacedSettings.withLock { $0 }.map(\.server)) : Set(pool.names)
        if needed.contains(where: { !catalog.snapshot.hasTools(for: $0) }) {
            await catalog.ensureDiscovered()
        }
    }

    /// A directly listed tool by its exposed name, looked for again after discovery on a miss.
    private func surfacedEntry(named name: String) async -> SurfacedTools.Entry? {
        if let entry = await surfaced().byName[name] { return entry }
        await discoverSurfacedBackends()
        return await surfaced().byName[name]
    }

    func toolsList(for principal: Principal) async -> JSONValue {
        await discoverSurfacedBackends()
        let view = view(for: principal)
        var tools: [JSONValue] = []
        if metaToolsEnabled {
            tools = MetaToolDefinitions.tools(serverCount: serverCount(in: view), toolCount: view.entries.count)
        }
        for entry in await surfacedEntries(in: view) { tools.append(.raw(entry.definition)) }
        return ["tools": .array(tools)]
    }

    /// The directly listed tools `view`'s principal may see.
    private func surfacedEntries(in view: CatalogView) async -> [SurfacedTools.Entry] {
        let all = await surfaced().entries
        guard view.isFiltered else { return all }
        return all.filter { view.entry(server: $0.server, tool: $0.tool) != nil }
    }

    // MARK: tools/call

    /// Where a call's progress token comes from.
    enum ProgressTokenSource {
        /// Read from `params._meta`.
        case inParams
        /// Already read by the caller (a 2026-07-28 envelope).
        case known(JSONValue?)
    }

    /// `params` are the message's params members when a caller has scanned them already.
    func toolsCall(_ message: JSONRPCMessage, params: [JSONScanner.Member]? = nil, progressToken: ProgressTokenSource = .inParams,
                   channel: any ClientChannel) async -> [UInt8] {
        let id = message.id
        let bytes = message.bytes
        let members = params ?? message.paramsMembers
        guard let nameMember = members.first(where: { $0.key == "name" }),
              let name = JSONScanner.string(in: bytes, range: nameMember.range) else {
            return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.invalidParams, message: "tools/call needs params.name")
        }
        if let problem = NameLengthLimit.problem(name, what: "tool name", limit: config.server.limits.maxNameLength) {
            return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.invalidParams, message: problem)
        }
        let arguments = members.first(where: { $0.key == "arguments" }).map { Array(bytes[$0.range]) } ?? Array("{}".utf8)
        let token: JSONValue?
        switch progressToken {
        case .inParams: token = ProgressRelay.clientToken(in: bytes, members: members)
        case .known(let known): token = known
        }
        let hooks = Self.hooks(progressToken: token, channel: channel)
        let result: ToolCallReply
        if metaToolsEnabled && MetaToolName.all.contains(name) {
            result = await runMetaTool(name, arguments: arguments, hooks: hooks, principal: channel.context.principal,
                                       origin: channel.context.origin)
        } else if let entry = await surfacedEntry(named: name) {
            guard arguments.first == UInt8(ascii: "{") else {
                return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.invalidParams, message: "arguments must be an object")
            }
            let outcome = await pipeline.run(BackendCall(server: entry.server, tool: entry.tool, principal: channel.context.principal,
                                                         arguments: arguments, hooks: hooks, origin: channel.context.origin))
            if case .refused(let refusal) = outcome {
                // A hidden tool answers exactly as one that is not listed at all.
                if refusal.isHidden { return await unknownSurfacedTool(name, id: id, principal: channel.context.principal) }
                return JSONRPCEncoder.error(id: id, error: refusal.error)
            }
            result = InvokeTool.render(outcome, server: entry.server, tool: entry.tool)
        } else {
            return await unknownSurfacedTool(name, id: id, principal: channel.context.principal)
        }
        switch result {
        case .result(let bytes): return JSONRPCEncoder.result(id: id, result: bytes[...])
        case .error(let error): return JSONRPCEncoder.error(id: id, error: error)
        }
    }

    private func unknownSurfacedTool(_ name: String, id: JSONRPCID?, principal: Principal) async -> [UInt8] {
        var known = Array(metaToolsEnabled ? MetaToolName.all : [])
        known.append(contentsOf: await surfacedEntries(in: view(for: principal)).map(\.exposedName))
        let close = NameSuggester.suggestions(for: name, among: known, limit: 3)
        let hint = close.isEmpty ? "" : " Did you mean: \(close.joined(separator: ", "))?"
        return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.invalidParams, message: "Unknown tool: \(name).\(hint)")
    }

    /// Progress goes back to the caller under its own token; backend requests (elicitation,
    /// sampling, roots) go to the caller if it declared the capability, else get an error.
    static func hooks(progressToken: JSONValue?, channel: any ClientChannel) -> RequestHooks {
        let onProgress = ProgressRelay.handler(token: progressToken, notify: { channel.notify($0) })
        let onServerRequest: ServerRequestHandler = { method, requestParams in
            guard channel.supports(method) else {
                return .failure(JSONRPCErrorObject(
                    code: JSONRPCErrorCode.methodNotFound,
                    message: "the client behind the gateway does not support \(method)"))
            }
            return await channel.request(method: method, params: requestParams)
        }
        return RequestHooks(onProgress: onProgress, onServerRequest: onServerRequest, client: channel.context.sessionID,
                            clientCapabilities: channel.context.capabilities ?? .object(JSONObject()),
                            onLog: BackendLogDelivery.handler(for: channel))
    }

    /// `logging/setLevel` sets the calling client's own level; the backends get the most
    /// verbose level any client wants (BackendLogLevel), never this client's as such.
    func setLogLevel(_ message: JSONRPCMessage, channel: any ClientChannel) async -> [UInt8] {
        let name = (try? message.paramsValue())?["level"]?.stringValue
        guard let name, let level = LogSeverity(name: name) else {
            let known = LogSeverity.allCases.map(\.name).joined(separator: ", ")
            return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams,
                                        message: "logging/setLevel needs params.level, one of: \(known)")
        }
        if let client = channel.context.logLevel { await backendLogLevel.choose(level, for: client) }
        return JSONRPCEncoder.result(id: message.id, result: Array("{}".utf8)[...])
    }

    func runMetaTool(_ name: String, arguments: [UInt8], hooks: RequestHooks, principal: Principal,
                     origin: CallOrigin = .unknown) async -> ToolCallReply {
        switch name {
        case MetaToolName.invoke:
            return await InvokeTool(pool: pool, catalog: catalog, pipeline: pipeline, capabilities: capabilities, access: access,
                                    maxNameLength: config.server.limits.maxNameLength)
                .run(arguments: arguments, hooks: hooks, principal: principal, origin: origin)
        default:
            return .result(await runListingMetaTool(name, arguments: arguments, principal: principal))
        }
    }

    /// The meta-tools that read the catalog (every one but invoke).
    private func runListingMetaTool(_ name: String, arguments: [UInt8], principal: Principal) async -> [UInt8] {
        switch name {
        case MetaToolName.listServers:
            await catalog.ensureDiscovered()
            return await ListServersTool(pool: pool, capabilities: capabilities, breakers: breakers).run(view: view(for: principal))
        default:
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(arguments)
            } catch {
                return ToolResult.error("\(name): arguments are not valid JSON (\(error))")
            }
            if name == MetaToolName.listTools {
                return await ListToolsTool(pool: pool, catalog: catalog, capabilities: capabilities, access: access,
                                           maxNameLength: config.server.limits.maxNameLength, profiles: profiles)
                    .run(arguments: parsed, principal: principal)
            }
            return await SearchToolsTool(catalog: catalog, access: access, metrics: metrics, profiles: profiles, tracer: tracer)
                .run(arguments: parsed, principal: principal)
        }
    }
}
