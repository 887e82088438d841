// How the index ranks: `lexical` is BM25F alone; `hybrid` blends it with the cosine of the
// query and tool embeddings (meta_mcp.search, docs/search.md).

public enum SearchMode: String, Sendable, CaseIterable {
    case lexical
    case hybrid
}
