// gateway_search_tools: ranked search over the catalog; the top hits carry their input
// schema so the agent can invoke in the next step.

import MCPProtocol

struct SearchToolsTool {
    static let defaultLimit = 5
    static let maximumLimit = 25
    static let hitsWithSchema = 3
    static let descriptionLimit = 300
    let catalog: Catalog

    func run(arguments: JSONValue) async -> [UInt8] {
        guard let query = arguments["query"]?.stringValue, !query.trimmingWhitespace.isEmpty else {
            return ToolResult.error("gateway_search_tools needs a non-empty 'query' string, e.g. {\"query\": \"read a file\"}.")
        }
        let limit = min(max(arguments["limit"]?.intValue ?? Self.defaultLimit, 1), Self.maximumLimit)
        await catalog.ensureDiscovered(deadline: Gateway.discoveryDeadline)
        return Self.render(query: query, limit: limit, snapshot: catalog.snapshot)
    }

    static func render(query: String, limit: Int, snapshot: CatalogSnapshot) -> [UInt8] {
        let hits = snapshot.search(query, limit: limit)
        var matches: [JSONValue] = []
        for (rank, hit) in hits.enumerated() {
            var match = JSONObject()
            match["server"] = .string(hit.entry.server)
            match["tool"] = .string(hit.entry.tool.name)
            match["description"] = .string(truncate(hit.entry.tool.description))
            match["score"] = .double((hit.score * 1000).rounded() / 1000)
            if rank < hitsWithSchema { match["inputSchema"] = .raw(hit.entry.tool.inputSchema) }
            matches.append(.object(match))
        }
        return ToolResult.structured(["matches": .array(matches), "total": .int(matches.count)])
    }

    static func truncate(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace
        guard trimmed.count > descriptionLimit else { return trimmed }
        return String(trimmed.prefix(descriptionLimit - 1)) + "…"
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
