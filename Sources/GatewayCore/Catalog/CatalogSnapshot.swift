// An immutable view of every known tool plus its search index. A new snapshot replaces
// the old one atomically whenever a backend's tool list changes; readers never lock.

import MCPProtocol
import ToolSearch

public struct CatalogSnapshot: Sendable {
    public let entries: [CatalogEntry]
    public let index: SearchIndex
    /// (server, tool) -> entry position.
    let positions: [String: [String: Int]]
    public let serverNames: [String]
    /// Enabled servers whose tool list is not known yet (starting, slow or failing): their
    /// tools are missing from this snapshot, and answers built from it say so.
    public let unavailableServers: [String]
    public let generation: Int

    /// With an `embedder` the index ranks in hybrid mode (BM25F blended with embeddings).
    public init(entries: [CatalogEntry], servers: [(name: String, description: String)],
                unavailableServers: [String] = [], generation: Int, embedder: StaticEmbedder? = nil,
                vectorCache: ToolVectorCache? = nil, parameters: RankingParameters = .standard) {
        self.entries = entries
        self.generation = generation
        self.unavailableServers = unavailableServers
        self.serverNames = servers.map(\.name)
        let descriptions = Dictionary(servers.map { ($0.name, $0.description) }, uniquingKeysWith: { a, _ in a })
        var positions: [String: [String: Int]] = [:]
        var documents: [SearchDocument] = []
        documents.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            positions[entry.server, default: [:]][entry.tool.name] = position
            documents.append(SearchDocument(
                server: entry.server,
                serverDescription: descriptions[entry.server] ?? "",
                name: entry.tool.name,
                title: entry.tool.title,
                description: entry.tool.description,
                parameters: entry.tool.parameters().map { SearchParameter(name: $0.name, description: $0.description) },
                tags: entry.tags,
                isBuiltIn: entry.isBuiltIn))
        }
        self.positions = positions
        self.index = SearchIndex(documents: documents, parameters: parameters, embedder: embedder, vectorCache: vectorCache)
    }

    public static let empty = CatalogSnapshot(entries: [], servers: [], generation: 0)

    public func entry(server: String, tool: String) -> CatalogEntry? {
        positions[server]?[tool].map { entries[$0] }
    }

    public func tools(of server: String) -> [CatalogEntry] {
        entries.filter { $0.server == server }
    }

    public func hasTools(for server: String) -> Bool { positions[server] != nil }

    public func search(_ query: String, limit: Int) -> [(entry: CatalogEntry, score: Double, need: String?)] {
        index.search(query, limit: limit).map { (entries[$0.document], $0.score, $0.need) }
    }
}
