// Where tool profiles are kept: an embedded SQLite file on one machine (SQLiteProfileStore),
// and the same rows in a shared database when several instances run. The recorder only ever
// adds batches, reads a window, and drops old days.

public protocol ToolProfileStore: Sendable {
    /// Adds each batch entry to its (server, tool, day) row, creating rows as needed.
    func add(_ batch: [ToolDayKey: ToolDayCounts]) async throws
    /// Rows from `day` on, optionally of one server.
    func rows(since day: Int, server: String?) async throws -> [ToolDayKey: ToolDayCounts]
    /// Drops rows older than `day`; returns how many went.
    @discardableResult
    func prune(before day: Int) async throws -> Int
}
