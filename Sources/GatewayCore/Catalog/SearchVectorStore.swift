// Saves the search index's tool vectors beside the catalog cache (search-vectors-<config>.bin), so
// a restarted gateway embeds only tools it has not seen. Same trust rule as the catalog cache: only
// a file this user wrote in a directory only this user can write is read; written atomically.

import Foundation
import Logging
import ToolSearch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SearchVectorStore: Sendable {
    let path: String
    let logger: Logger

    init(catalogCachePath: String, logger: Logger) {
        self.path = CatalogStore.siblingPath(of: catalogCachePath, prefix: "search-vectors-", fileExtension: ".bin")
        self.logger = logger
    }

    var directory: String { (path as NSString).deletingLastPathComponent }

    /// The saved vectors of `embedder`'s model; an empty cache when there are none or they are
    /// for another model.
    func load(for embedder: StaticEmbedder) -> ToolVectorCache {
        if let problem = PrivateDirectory.problem(directory) ?? PrivateDirectory.fileProblem(path) {
            if FileManager.default.fileExists(atPath: path) { logger.warning("ignoring the search vectors \(path): \(problem)") }
            return ToolVectorCache(modelID: embedder.modelID, dimension: embedder.dimension)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return ToolVectorCache(modelID: embedder.modelID, dimension: embedder.dimension)
        }
        return ToolVectorCache(decoding: Array(data), modelID: embedder.modelID, dimension: embedder.dimension)
    }

    func save(_ cache: ToolVectorCache) {
        if let problem = PrivateDirectory.prepare(directory) {
            logger.warning("not saving the search vectors in \(directory): \(problem)")
            return
        }
        if let problem = PrivateFileWriter.replace(path, with: cache.encoded()) {
            logger.warning("could not save the search vectors \(path): \(problem)")
        }
    }
}
