// The `meta_mcp:` section: the meta-tools shown to the client instead of every backend tool.

/// Settings of the meta-tool layer (search, describe, invoke).
public struct MetaMCPSettings: Sendable, Equatable {
    public var enabled: Bool
    /// How long a backend's tool list is trusted before it is fetched again.
    public var cacheTTL: Duration
    /// Backend tools listed directly in `tools/list` next to the meta-tools.
    public var surfacedTools: [SurfacedTool]
    /// Backends started at boot rather than on first use; `["*"]` means all of them.
    public var warmStart: [String]
    /// How long requests wait, in all, for a backend's first tool list before answering
    /// without it (and naming it as unavailable).
    public var discoveryWait: Duration
    /// How `gateway_search_tools` ranks (`search:`): hybrid blends BM25F with embeddings.
    public var search: ToolSearchMode

    public init(
        enabled: Bool = true,
        cacheTTL: Duration = .seconds(300),
        surfacedTools: [SurfacedTool] = [],
        warmStart: [String] = [],
        discoveryWait: Duration = .seconds(5),
        search: ToolSearchMode = .hybrid
    ) {
        self.enabled = enabled
        self.cacheTTL = cacheTTL
        self.surfacedTools = surfacedTools
        self.warmStart = warmStart
        self.discoveryWait = discoveryWait
        self.search = search
    }

    /// Whether `backend` is to be started at boot.
    public func warmStarts(backend name: String) -> Bool {
        warmStart.contains("*") || warmStart.contains(name)
    }
}

/// `meta_mcp.search`: lexical (BM25F alone) or hybrid (BM25F blended with embedding cosines).
public enum ToolSearchMode: String, Sendable, Equatable, CaseIterable {
    case lexical
    case hybrid
}

/// One backend tool promoted to the client's `tools/list`.
public struct SurfacedTool: Sendable, Equatable, Hashable {
    /// The backend name, as written under `backends:`.
    public var server: String
    /// The tool's name as the backend reports it.
    public var tool: String

    public init(server: String, tool: String) {
        self.server = server
        self.tool = tool
    }
}
