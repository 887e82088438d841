// Tool pinning, live: the gateway's view of the pin file plus the tool lists it has seen.
// The catalog hands every backend list to `admit` when it builds a snapshot (first sight pins
// it; a later change becomes pending and is held or flagged); the call stage and the audit
// trail ask `status(server:tool:)`, one dictionary lookup in a table rebuilt only when pins or
// lists change. Another process (`mcp-gateway tools approve`) changes the file; a poll of its
// stamp every 500 ms notices, re-applies the lists seen here to it, and tells the catalog.
// The mode reloads with the config (`setMode`): `off` admits every list as it is and leaves
// the file alone; switching pinning on pins what the next catalog build sees, on first sight.

import Foundation
import GatewayConfig
import GatewayGovernance
import Logging
import MCPProtocol
import Synchronization

public final class PinRegistry: Sendable {
    public struct ToolKey: Hashable, Sendable {
        var server: String
        var tool: String
    }

    /// What the call path reads: rebuilt as a whole, read without copying dictionaries.
    final class Table: Sendable {
        let statuses: [ToolKey: PinStatus]
        let approved: Set<String>
        let untrusted: String?

        init(statuses: [ToolKey: PinStatus] = [:], approved: Set<String> = [], untrusted: String? = nil) {
            self.statuses = statuses
            self.approved = approved
            self.untrusted = untrusted
        }
    }

    struct Seen {
        var tools: [ToolDefinition]
        var fingerprints: [ToolFingerprint]
    }

    struct State {
        var ledger = PinLedger()
        /// Why the pin file is not trusted (nothing is then pinned or approved).
        var untrusted: String?
        var seen: [String: Seen] = [:]
        var table = Table()
        var stamp: PinFileStore.Stamp?
    }

    private let modeBox: Mutex<PinningMode>
    public let store: PinFileStore?
    /// Servers outside pinning (the capability server: its tools are the operator's own files).
    let exempt: Set<String>
    let logger: Logger
    private let state = Mutex<State>(State())
    /// Serialises file updates within this process (the file lock covers other processes).
    private let fileUpdates = Mutex<Void>(())
    private let onChange = Mutex<(@Sendable () -> Void)?>(nil)
    private let watcher = Mutex<Watcher>(Watcher())

    struct Watcher {
        var interval: Duration = .milliseconds(500)
        var task: Task<Void, Never>?
        /// Whether the gateway asked for the file to be watched (while pinning is on).
        var wanted = false
    }

    public init(mode: PinningMode, store: PinFileStore?, exempt: Set<String> = [], logger: Logger) {
        modeBox = Mutex(mode)
        self.store = store
        self.exempt = exempt
        self.logger = logger
        guard mode != .off else { return }
        if store == nil { warnNoStore(mode) }
        synchronize()
    }

    private func warnNoStore(_ mode: PinningMode) {
        logger.warning("tool pinning (\(mode.rawValue)): no cache directory, so pins last only as long as this process")
    }

    /// `security.pinning` in force.
    public var mode: PinningMode { modeBox.withLock { $0 } }

    /// Whether a tool that is not pinned is left out of listings and refused (`enforce`).
    public var holds: Bool { mode == .enforce }

    /// Puts a reloaded `security.pinning` in force; true when it changed (the catalog must
    /// then be rebuilt: held tools appear or disappear, flags come or go). Switching on reads
    /// the file again and watches it; switching off stops watching and forgets the lists seen.
    @discardableResult
    public func setMode(_ next: PinningMode) -> Bool {
        let previous = modeBox.withLock { mode in
            defer { mode = next }
            return mode
        }
        guard previous != next else { return false }
        logger.notice("tool pinning: security.pinning is now \(next.rawValue) (was \(previous.rawValue))")
        if next == .off {
            state.withLock { state in
                state.seen = [:]
                state.table = Table()
            }
        } else if previous == .off {
            if store == nil { warnNoStore(next) }
            synchronize()
        }
        updateWatcher()
        return true
    }

    // MARK: What listings and calls ask

    /// The status of a tool for the call path and the audit trail: nil when it is not under
    /// pinning (capability tools, a server never listed yet), `.pinned` when approved, else the
    /// change. A tool an approved server never listed counts as new.
    public func status(server: String, tool: String) -> PinStatus? {
        // Off: the table is empty and nothing is approved, so every answer below is nil.
        let table = state.withLock { $0.table }
        if let status = table.statuses[ToolKey(server: server, tool: tool)] { return status }
        if exempt.contains(server) { return nil }
        if let reason = table.untrusted { return .untrusted(reason: reason) }
        return table.approved.contains(server) ? .added : nil
    }

    /// Records `tools` as the server's complete current list and returns them with their
    /// status, leaving out the held ones in `enforce` mode. A list seen before costs one
    /// comparison of the definitions' bytes.
    public func admit(server: String, tools: [ToolDefinition]) -> [(tool: ToolDefinition, change: PinStatus?)] {
        let mode = mode
        guard mode != .off, !exempt.contains(server) else { return tools.map { ($0, nil) } }
        let started = ContinuousClock.now
        let (table, ledgerChanged) = observe(server: server, tools: tools)
        if ledgerChanged {
            synchronize()
            logger.debug("tool pinning: \(tools.count) tools of '\(server)' compared and the pin file written in \(ContinuousClock.now - started)")
        }
        let current = ledgerChanged ? state.withLock({ $0.table }) : table
        var admitted: [(tool: ToolDefinition, change: PinStatus?)] = []
        admitted.reserveCapacity(tools.count)
        for tool in tools {
            let status = current.statuses[ToolKey(server: server, tool: tool.name)]
            if let status, !status.isPinned {
                if mode != .enforce { admitted.append((tool, status)) }
            } else {
                admitted.append((tool, nil))
            }
        }
        return admitted
    }

    private func observe(server: String, tools: [ToolDefinition]) -> (Table, ledgerChanged: Bool) {
        if let table = state.withLock({ $0.seen[server]?.tools == tools ? $0.table : nil }) { return (table, false) }
        let fingerprints = tools.map { ToolFingerprint(toolObject: $0.raw.bytes) ?? ToolFingerprint(name: $0.name, definition: ["name": .string($0.name)]) }
        let now = Int(Date().timeIntervalSince1970)
        let (table, report) = state.withLock { state -> (Table, PinLedger.Observation?) in
            state.seen[server] = Seen(tools: tools, fingerprints: fingerprints)
            guard state.untrusted == nil else {
                state.table = Self.table(state)
                return (state.table, nil)
            }
            let report = state.ledger.observe(server: server, tools: fingerprints, now: now)
            if report.changed { state.table = Self.table(state) }
            return (state.table, report)
        }
        if let report { log(report, server: server) }
        return (table, report?.changed ?? false)
    }

    private func log(_ report: PinLedger.Observation, server: String) {
        if report.firstSight { logger.info("tool pinning: pinned the tools of '\(server)' on first sight") }
        for (tool, entry) in report.newlyPending {
            if entry.kind == .removed {
                logger.warning("tool pinning: '\(server):\(tool)' is no longer listed (approve with `mcp-gateway tools approve \(server)` to drop its pin)")
            } else if holds {
                logger.warning("tool pinning: '\(server):\(tool)' \(entry.change); held until `mcp-gateway tools approve \(server):\(tool)` (see `mcp-gateway tools diff \(server)`)")
            } else {
                logger.warning("tool pinning: '\(server):\(tool)' \(entry.change); passed and flagged (security.pinning: warn)")
            }
        }
    }

    static func table(_ state: State) -> Table {
        if let reason = state.untrusted {
            var statuses: [ToolKey: PinStatus] = [:]
            for (server, seen) in state.seen {
                for tool in seen.tools { statuses[ToolKey(server: server, tool: tool.name)] = .untrusted(reason: reason) }
            }
            return Table(statuses: statuses, untrusted: reason)
        }
        var statuses: [ToolKey: PinStatus] = [:]
        for (server, entry) in state.ledger.servers {
            for tool in entry.pins.keys { statuses[ToolKey(server: server, tool: tool)] = .pinned }
            for (tool, pending) in entry.pending {
                statuses[ToolKey(server: server, tool: tool)] = pending.status
            }
        }
        return Table(statuses: statuses, approved: Set(state.ledger.servers.keys))
    }

    // MARK: The file

    /// Reads the file, re-applies every list seen here (first sights, changes) to it and writes
    /// it back when that changed it. Returns whether what callers see changed.
    @discardableResult
    func synchronize() -> Bool {
        guard let store else { return false }
        return fileUpdates.withLock { _ -> Bool in
            let before = state.withLock { $0.table }
            do {
                let (_, stamp) = try store.update { loaded -> (write: PinLedger?, result: Void) in
                    let now = Int(Date().timeIntervalSince1970)
                    switch loaded {
                    case .unreadable(let reason):
                        state.withLock { state in
                            if state.untrusted != reason {
                                logger.error("tool pinning: the pin file \(store.path) is not used: \(reason). Nothing it pinned is trusted\(holds ? " (every tool is held)" : "") until it is repaired or removed (removing it pins every server again on first sight)")
                            }
                            state.untrusted = reason
                            state.table = Self.table(state)
                        }
                        return (nil, ())
                    case .absent, .ledger:
                        var base = PinLedger()
                        if case .ledger(let ledger) = loaded { base = ledger }
                        let next = state.withLock { state -> PinLedger in
                            var next = base
                            for (server, seen) in state.seen.sorted(by: { $0.key < $1.key }) {
                                next.observe(server: server, tools: seen.fingerprints, now: now)
                            }
                            if state.untrusted != nil { logger.notice("tool pinning: the pin file \(store.path) is readable again") }
                            state.untrusted = nil
                            state.ledger = next
                            state.table = Self.table(state)
                            return next
                        }
                        return (next != base ? next : nil, ())
                    }
                }
                state.withLock { $0.stamp = stamp }
            } catch {
                logger.error("tool pinning: \(error)")
            }
            let after = state.withLock { $0.table }
            return !Self.sameStatuses(before, after)
        }
    }

    static func sameStatuses(_ a: Table, _ b: Table) -> Bool {
        a === b || (a.statuses == b.statuses && a.approved == b.approved && a.untrusted == b.untrusted)
    }

    /// Polls the file every `interval` for another process's change (an approval) and calls
    /// `changed` when what callers see changed; only while pinning is on (see `setMode`).
    public func startWatching(interval: Duration = .milliseconds(500), changed: @escaping @Sendable () -> Void) {
        onChange.withLock { $0 = changed }
        watcher.withLock {
            $0.interval = interval
            $0.wanted = true
        }
        updateWatcher()
    }

    public func stopWatching() {
        watcher.withLock {
            $0.wanted = false
            $0.task?.cancel()
            $0.task = nil
        }
    }

    /// Runs the poll exactly when it is wanted, pinning is on and there is a file.
    private func updateWatcher() {
        let run = mode != .off && store != nil
        watcher.withLock { watcher in
            guard watcher.wanted, run else {
                watcher.task?.cancel()
                watcher.task = nil
                return
            }
            guard watcher.task == nil, let store else { return }
            let interval = watcher.interval
            watcher.task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    let current = store.stamp()
                    guard current != self.state.withLock({ $0.stamp }) else { continue }
                    if self.synchronize() { self.onChange.withLock { $0 }?() }
                }
            }
        }
    }

    /// An admin's approval (the dashboard): what `mcp-gateway tools approve SERVER[:TOOL]` does
    /// to the pin file; the watcher then puts it in force (within its interval). Returns the
    /// approved changes, empty when nothing was pending or there is no pin file.
    public func approve(server: String, tool: String?) throws -> [String] {
        guard let store else { return [] }
        let now = Int(Date().timeIntervalSince1970)
        let (lines, _) = try store.update { loaded -> (write: PinLedger?, result: [String]) in
            guard case .ledger(var ledger) = loaded else { return (nil, []) }
            let lines = try ledger.approve(server: server, tool: tool, now: now)
            return (lines.isEmpty ? nil : ledger, lines)
        }
        return lines
    }

    // MARK: Reports

    /// `/health`'s `pinning` member: the mode and, per server, what waits for approval.
    public func health() -> JSONValue {
        let mode = mode
        var result = JSONObject()
        result["mode"] = .string(mode.rawValue)
        guard mode != .off else { return .object(result) }
        let (ledger, untrusted) = state.withLock { ($0.ledger, $0.untrusted) }
        if let untrusted { result["untrusted"] = .string(untrusted) }
        var pending = JSONObject()
        var total = 0
        for (server, entry) in ledger.servers.sorted(by: { $0.key < $1.key }) where !entry.pending.isEmpty {
            pending[server] = .array(entry.pending.sorted(by: { $0.key < $1.key }).map { tool, change -> JSONValue in
                total += 1
                return ["tool": .string(tool), "kind": .string(change.kindName), "change": .string(change.change)]
            })
        }
        result["servers"] = .int(ledger.servers.count)
        result["pending_total"] = .int(total)
        result["pending"] = .object(pending)
        return .object(result)
    }
}

extension PinRegistry {
    /// The registry `security.pinning` asks for (in mode `off` too, so a reload can switch it
    /// on); the pin file sits beside the catalog cache (in memory only when there is none).
    public static func make(config: GatewayConfig, catalogCachePath: String?, capabilityServer: String?,
                            logger: Logger) -> PinRegistry {
        return PinRegistry(mode: config.security.pinning,
                           store: catalogCachePath.map { PinFileStore(path: PinFileStore.path(forCatalogCache: $0)) },
                           exempt: capabilityServer.map { [$0] } ?? [], logger: logger)
    }
}
