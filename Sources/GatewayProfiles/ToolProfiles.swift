// Per-tool statistics that outlive the process (`telemetry.profiles`): the pipeline's last
// step records each tool call here, in memory, under one lock; a background task adds the
// batch to the store every few seconds (and once more at shutdown), so the call path never
// waits for the disk. Reads (a listing with `include: ["stats"]`, `mcp-gateway stats`) sum the
// store's rows for a window and add what is not flushed yet.
//
// Bounded: days older than the retention (90 by default) are pruned once a day, and at most
// `toolsPerDay` (server, tool) pairs are recorded per day (a client can name any tool through
// `/mcp/{backend}`); calls past that are counted as dropped, not stored.

import Foundation
import Logging
import Synchronization

public final class ToolProfiles: Sendable {
    public static let defaultRetentionDays = 90
    public static let defaultToolsPerDay = 5_000

    /// A (server, tool) pair, the unit of a profile.
    public struct ToolKey: Sendable, Hashable {
        public let server: String
        public let tool: String

        public init(server: String, tool: String) {
            self.server = server
            self.tool = tool
        }
    }

    private struct State {
        var pending: [ToolDayKey: ToolDayCounts] = [:]
        var today = -1
        var seenToday: Set<ToolKey> = []
        var dropped = 0
        var lastPrunedDay = -1
    }

    let store: any ToolProfileStore
    let retentionDays: Int
    let toolsPerDay: Int
    let flushInterval: Duration
    let logger: Logger
    /// Unix seconds now (a test moves it).
    let now: @Sendable () -> Int64
    private let state = Mutex(State())
    private let flusher = Mutex<Task<Void, Never>?>(nil)

    public init(store: any ToolProfileStore, retentionDays: Int = defaultRetentionDays, toolsPerDay: Int = defaultToolsPerDay,
                flushInterval: Duration = .seconds(2), logger: Logger,
                now: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) {
        self.store = store
        self.retentionDays = retentionDays
        self.toolsPerDay = toolsPerDay
        self.flushInterval = flushInterval
        self.logger = logger
        self.now = now
    }

    /// One tool call that reached the backend (or failed trying).
    public func record(server: String, tool: String, outcome: ProfileOutcome, nanoseconds: Int64, bytesIn: Int, bytesOut: Int) {
        let seconds = now()
        let day = Int(seconds / 86_400)
        let microseconds = nanoseconds / 1_000
        let limit = toolsPerDay
        let key = ToolDayKey(server: server, tool: tool, day: day)
        state.withLock { state in
            // A tool with calls pending today was admitted today: one hash for the common case.
            if let index = state.pending.index(forKey: key) {
                state.pending.values[index].record(outcome, microseconds: microseconds, bytesIn: bytesIn, bytesOut: bytesOut, at: seconds)
                return
            }
            if state.today != day {
                state.today = day
                state.seenToday.removeAll(keepingCapacity: true)
            }
            let pair = ToolKey(server: server, tool: tool)
            if !state.seenToday.contains(pair) {
                guard state.seenToday.count < limit else {
                    state.dropped += 1
                    return
                }
                state.seenToday.insert(pair)
            }
            var counts = ToolDayCounts()
            counts.record(outcome, microseconds: microseconds, bytesIn: bytesIn, bytesOut: bytesOut, at: seconds)
            state.pending[key] = counts
        }
    }

    /// Calls not recorded because the day's limit of tools was reached.
    public var dropped: Int { state.withLock { $0.dropped } }

    /// Starts the background flush.
    public func start() {
        let interval = flushInterval
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.flush()
            }
        }
        flusher.withLock { $0 = task }
    }

    /// Stops the background flush and writes what is pending.
    public func stop() async {
        flusher.withLock { $0 }?.cancel()
        await flush()
    }

    /// Adds what is pending to the store, and prunes old days once a day. A failed write keeps
    /// the batch for the next flush (merged with what came since), so a locked or full disk
    /// loses nothing it can later take.
    public func flush() async {
        let (batch, prune): ([ToolDayKey: ToolDayCounts], Int?) = state.withLock { state in
            let batch = state.pending
            state.pending.removeAll(keepingCapacity: true)
            let today = Int(now() / 86_400)
            guard state.lastPrunedDay != today else { return (batch, nil) }
            state.lastPrunedDay = today
            return (batch, today - retentionDays + 1)
        }
        do {
            try await store.add(batch)
        } catch {
            logger.warning("tool profiles: could not write \(batch.count) rows (kept for the next try): \(error)")
            state.withLock { state in
                for (key, counts) in batch { state.pending[key, default: ToolDayCounts()].add(counts) }
            }
        }
        if let prune {
            do {
                let removed = try await store.prune(before: prune)
                if removed > 0 { logger.info("tool profiles: removed \(removed) rows older than \(retentionDays) days") }
            } catch {
                logger.warning("tool profiles: could not remove old rows: \(error)")
            }
        }
    }

    /// Each tool's counts summed over the last `days` days (today included), pending calls
    /// added; nil when the store cannot be read.
    public func totals(server: String? = nil, days: Int) async -> [ToolKey: ToolDayCounts]? {
        let since = Int(now() / 86_400) - days + 1
        let stored: [ToolDayKey: ToolDayCounts]
        do {
            stored = try await store.rows(since: since, server: server)
        } catch {
            logger.warning("tool profiles: could not read the store: \(error)")
            return nil
        }
        let pending = state.withLock { $0.pending }
        return Self.sum(stored, pending.filter { $0.key.day >= since && (server == nil || $0.key.server == server) })
    }

    static func sum(_ parts: [ToolDayKey: ToolDayCounts]...) -> [ToolKey: ToolDayCounts] {
        var totals: [ToolKey: ToolDayCounts] = [:]
        for part in parts {
            for (key, counts) in part { totals[ToolKey(server: key.server, tool: key.tool), default: ToolDayCounts()].add(counts) }
        }
        return totals
    }
}
