// Budget spending on disk, so a restart does not hand every principal a fresh budget: a small
// JSON file next to the catalog cache (`budgets-<hash>.json`, same private directory rules),
// read at start and written at most twice a second off the call path, and at shutdown.

import Foundation
import GatewayGovernance
import Logging
import MCPProtocol
import Synchronization

public final class BudgetStore: Sendable {
    public let path: String
    let logger: Logger
    private let scheduled = Atomic<Bool>(false)
    private let savedVersion = Mutex<UInt64?>(nil)

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// The budget file beside a catalog cache file (`catalog-X.json` → `budgets-X.json`).
    public static func path(besideCatalog catalogPath: String) -> String {
        let directory = (catalogPath as NSString).deletingLastPathComponent
        var name = (catalogPath as NSString).lastPathComponent
        if name.hasPrefix("catalog-") { name = "budgets-" + name.dropFirst("catalog-".count) } else { name = "budgets-" + name }
        return directory + "/" + name
    }

    var directory: String { (path as NSString).deletingLastPathComponent }

    public func load() -> [String: SpendingRecord] {
        if let problem = PrivateDirectory.problem(directory) ?? PrivateDirectory.fileProblem(path) {
            if FileManager.default.fileExists(atPath: path) { logger.warning("ignoring the budget file \(path): \(problem)") }
            return [:]
        }
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        struct File: Decodable {
            let version: Int
            let records: [String: SpendingRecord]
        }
        guard let file = try? JSONDecoder().decode(File.self, from: data), file.version == 1 else {
            logger.warning("ignoring unreadable budget file \(path)")
            return [:]
        }
        return file.records
    }

    /// Saves within half a second, off the caller's path.
    public func scheduleSave(_ ledger: BudgetLedger) {
        guard !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task {
            try? await Task.sleep(for: .milliseconds(500))
            scheduled.store(false, ordering: .releasing)
            save(ledger)
        }
    }

    /// Creates `path` readable by this user only and writes `bytes`; false (errno set) on failure.
    /// Writes atomically (temporary file, then rename) when spending changed since the last save.
    public func save(_ ledger: BudgetLedger) {
        let (version, records) = ledger.snapshot()
        guard savedVersion.withLock({ $0 != version }) else { return }
        if let problem = PrivateDirectory.prepare(directory) {
            logger.warning("not saving budget spending in \(directory): \(problem)")
            return
        }
        struct File: Encodable {
            let version = 1
            let records: [String: SpendingRecord]
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(File(records: records))
            if let problem = PrivateFileWriter.replace(path, with: Array(data)) {
                logger.warning("could not save budget spending \(path): \(problem)")
                return
            }
            savedVersion.withLock { $0 = version }
        } catch {
            logger.warning("could not save budget spending \(path): \(error)")
        }
    }
}
