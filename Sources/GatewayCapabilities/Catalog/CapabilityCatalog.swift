// The live set of capabilities: loads the starter pack and the configured directories, watches the
// directories (a poll of file signatures on a thread of its own, cheap enough at 100 ms), swaps in a new snapshot when a file
// is added, changed or removed, tells listeners, and executes calls.

import AsyncHTTPClient
import Foundation
import GatewayConfig
import Logging
import MCPProtocol
import Synchronization

public final class CapabilityCatalog: Sendable {
    public let settings: CapabilitySettings
    let logger: Logger
    private let state = Mutex<State>(State())
    /// Created on first use, shut down by `stop()`: it must never follow redirects on its own.
    private let client = Mutex<HTTPClient?>(nil)
    /// Held while a rescan runs, so the watcher and an explicit `reload()` never interleave.
    private let reloading = Mutex<Void>(())

    struct State {
        var starterFiles: [LoadedCapabilityFile]?
        var files: [String: LoadedCapabilityFile] = [:]
        var snapshot = CapabilitySnapshot.empty
        var handlers: [@Sendable () -> Void] = []
        var watcher: DirectoryWatcher?
        var stopped = false
    }

    public init(settings: CapabilitySettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public var serverName: String { settings.serverName }

    /// Tools in catalog order (starter pack, then the configured directories).
    public var tools: [ToolDefinition] { state.withLock { $0.snapshot.tools } }

    public var definitions: [CapabilityDefinition] { state.withLock { $0.snapshot.definitions } }

    /// The tools, each with whether it is a starter-pack tool (search ranks the user's own first).
    public var toolsWithOrigin: [(tool: ToolDefinition, isBuiltIn: Bool)] {
        state.withLock { state in state.snapshot.tools.map { ($0, state.snapshot.builtInTools.contains($0.name)) } }
    }

    /// Errors and warnings of every file, and name clashes.
    public var problems: [CapabilityProblem] { state.withLock { $0.snapshot.problems } }

    public func definition(named name: String) -> CapabilityDefinition? {
        state.withLock { $0.snapshot.definition(named: name) }
    }

    /// `handler` runs after every change is applied (add, change, delete of a file).
    public func onChange(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// Loads everything, then watches the configured directories until `stop()`.
    public func start() async {
        guard settings.enabled else { return }
        reload()
        guard !settings.directories.isEmpty else { return }
        let watcher = DirectoryWatcher(interval: settings.pollInterval) { [weak self] in self?.reload() }
        state.withLock { $0.watcher = watcher }
    }

    /// Stops watching and closes the HTTP client; calls afterwards fail.
    public func stop() async {
        let watcher = state.withLock { state -> DirectoryWatcher? in
            state.stopped = true
            defer { state.watcher = nil }
            return state.watcher
        }
        watcher?.stop()
        let existing = client.withLock { box -> HTTPClient? in
            defer { box = nil }
            return box
        }
        try? await existing?.shutdown()
    }

    /// Rescans the directories now; returns whether anything changed (listeners have then been told).
    @discardableResult
    public func reload() -> Bool {
        guard settings.enabled else { return false }
        let handlers = reloading.withLock { _ in rescan() }
        guard let handlers else { return false }
        for handler in handlers { handler() }
        return true
    }

    /// The listeners to tell, or nil when nothing changed.
    private func rescan() -> [@Sendable () -> Void]? {
        let starter = state.withLock { $0.starterFiles } ?? loadStarterPack()
        let previous = state.withLock { $0.files }
        var current: [String: LoadedCapabilityFile] = [:]
        var ordered: [LoadedCapabilityFile] = []
        var changed = false
        for directory in settings.directories {
            let policy = settings.policy(for: directory)
            for (path, signature) in CapabilityFileScanner.scan(directory.path) where current[path] == nil {
                let file: LoadedCapabilityFile
                if let known = previous[path], known.signature == signature {
                    file = known
                } else {
                    let result = policy.apply(to: CapabilityFileLoader.load(path: path), path: path)
                    file = LoadedCapabilityFile(path: path, signature: signature, result: result, isStarterPack: false)
                    changed = true
                    logChange(file, isNew: previous[path] == nil)
                }
                current[path] = file
                ordered.append(file)
            }
        }
        for path in previous.keys where current[path] == nil {
            changed = true
            logger.info("capability file removed", metadata: ["path": "\(path)"])
        }
        let firstLoad = state.withLock { $0.starterFiles == nil }
        guard changed || firstLoad else { return nil }
        let snapshot = CapabilitySnapshot(files: starter + ordered,
                                          extraProblems: starterPackProblems(starter) + missingDirectoryProblems())
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            state.starterFiles = starter
            state.files = current
            state.snapshot = snapshot
            return state.handlers
        }
        if firstLoad {
            logger.info("capabilities loaded", metadata: [
                "server": "\(serverName)", "tools": "\(snapshot.tools.count)",
                "problems": "\(snapshot.problems.filter(\.isError).count)",
            ])
        }
        return handlers
    }

    /// Runs the named capability with raw JSON arguments.
    public func call(tool name: String, arguments: [UInt8]) async -> CapabilityCallResult {
        guard let definition = definition(named: name) else { return .unknownTool }
        guard let client = httpClient() else {
            return .result(CallToolResultBuilder.error("the capability catalog is stopped"))
        }
        let executor = CapabilityExecutor(
            exchange: HTTPExchange(client: client, guardian: SSRFGuard(allow: settings.ssrfAllow),
                                   originOverrides: settings.originOverrides),
            environment: settings.environment,
            retry: RetryPolicy(maxAttempts: 3, initialBackoff: settings.retryBackoff, maxBackoff: .seconds(5)),
            logger: logger)
        return .result(await executor.call(definition, arguments: arguments))
    }

    // MARK: helpers

    private func httpClient() -> HTTPClient? {
        let stopped = state.withLock { $0.stopped }
        guard !stopped else { return nil }
        return client.withLock { box in
            if let existing = box { return existing }
            let created = HTTPClient(eventLoopGroupProvider: .singleton, configuration: PinnedClient.baseConfiguration)
            box = created
            return created
        }
    }

    private func loadStarterPack() -> [LoadedCapabilityFile] {
        guard settings.includeStarterPack,
              let directory = settings.starterPackDirectory ?? StarterPack.locate(environment: settings.environment) else {
            return []
        }
        // A starter-pack tool that needs a secret the config does not allow is left out (not an error):
        // a token merely present in the gateway's environment is never sent to whoever calls the tool.
        let policy = settings.starterPackPolicy
        var off: [String] = []
        var variables = Set<String>()
        let files = CapabilityFileScanner.scan(directory).compactMap { path, signature -> LoadedCapabilityFile? in
            let result = CapabilityFileLoader.load(path: path)
            guard policy.problems(result, path: path).isEmpty else {
                off.append(result.definition?.name ?? (path as NSString).lastPathComponent)
                for case .environment(let name) in result.secretReferences.map(\.kind)
                    where !policy.allowedEnvironment.contains(name) { variables.insert(name) }
                return nil
            }
            return LoadedCapabilityFile(path: path, signature: signature, result: result, isStarterPack: true)
        }
        if !off.isEmpty {
            logger.info("starter-pack tools that need a credential are off", metadata: [
                "tools": "\(off.joined(separator: ", "))",
                "enable_with": "capabilities.starter_pack_allow_env: [\(variables.sorted().joined(separator: ", "))]",
            ])
        }
        return files
    }

    private func starterPackProblems(_ starter: [LoadedCapabilityFile]) -> [CapabilityProblem] {
        guard settings.includeStarterPack, starter.isEmpty else { return [] }
        return [CapabilityProblem(severity: .warning, path: "starter pack", line: 0,
                                  message: "the starter pack was not found next to the executable; set MCP_GATEWAY_STARTER_PACK to its directory or capabilities.starter_pack: false")]
    }

    /// A configured directory that does not exist is reported (it is still watched, so creating it works).
    private func missingDirectoryProblems() -> [CapabilityProblem] {
        settings.directories.map(\.path).filter { directory in
            var isDirectory: ObjCBool = false
            return !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue
        }.map { CapabilityProblem(severity: .warning, path: $0, line: 0, message: "the capability directory does not exist") }
    }

    private func logChange(_ file: LoadedCapabilityFile, isNew: Bool) {
        if file.result.errors.isEmpty {
            logger.info(isNew ? "capability file added" : "capability file changed",
                        metadata: ["path": "\(file.path)", "tool": "\(file.result.definition?.name ?? "")"])
        } else {
            for problem in file.result.errors { logger.warning("\(problem)") }
        }
    }
}
