// The error a caller gets for a server or tool name the gateway does not know: close
// names (did you mean) and the best search hits, so the agent can correct itself in one step.
// Built from the caller's view: nothing its scopes hide is ever suggested.

import MCPProtocol
import ToolSearch

enum UnknownNameReply {
    /// `tool` (when known) also finds where that tool really lives, by name and by search.
    static func unknownServer(_ server: String, tool: String? = nil, catalog: CatalogView) -> [UInt8] {
        let names = catalog.serverNames
        let close = NameSuggester.suggestions(for: server, among: names, limit: 3)
        var text = "Unknown server '\(server)'."
        if !close.isEmpty { text += " Did you mean: \(close.map { "'\($0)'" }.joined(separator: ", "))?" }
        text += " Servers: \(names.joined(separator: ", "))."
        var hits: [CatalogEntry] = []
        if let tool, !tool.isEmpty {
            let exact = catalog.entries.filter { $0.tool.name == tool }.prefix(3)
            hits = exact.isEmpty ? catalog.search(tool.replacingSeparators, limit: 3).map(\.entry) : Array(exact)
            if !hits.isEmpty {
                text += " '\(tool)' candidates: \(hits.map { "\($0.server)/\($0.tool.name)" }.joined(separator: ", "))."
            }
        }
        return ToolResult.error(text, structured: [
            "error": "unknown_server",
            "suggestions": .array(close.map { .string($0) }),
            "servers": .array(names.map { .string($0) }),
            "hits": .array(hits.map { ["server": .string($0.server), "tool": .string($0.tool.name)] }),
        ])
    }

    static func unknownTool(_ tool: String, server: String, catalog: CatalogView) -> [UInt8] {
        let ownTools = catalog.tools(of: server).map(\.tool.name)
        let close = NameSuggester.suggestions(for: tool, among: ownTools, limit: 3)
        // The tool may live on another server under the same or a similar name.
        let elsewhere = catalog.entries.filter { $0.server != server }
        let closeElsewhere = NameSuggester.suggestions(for: tool, among: Array(Set(elsewhere.map(\.tool.name))), limit: 3)
        let elsewherePairs = elsewhere.filter { closeElsewhere.contains($0.tool.name) }.prefix(3).map { "\($0.server)/\($0.tool.name)" }
        let hits = catalog.search(tool.replacingSeparators, limit: 3)
        var text = "Unknown tool '\(tool)' on server '\(server)'."
        if !close.isEmpty { text += " Did you mean: \(close.map { "'\($0)'" }.joined(separator: ", "))?" }
        if !elsewherePairs.isEmpty { text += " Similar on other servers: \(elsewherePairs.joined(separator: ", "))." }
        if close.isEmpty && elsewherePairs.isEmpty { text += " Did you mean one of the search hits below?" }
        if !hits.isEmpty { text += " Search hits: \(hits.map { "\($0.entry.server)/\($0.entry.tool.name)" }.joined(separator: ", "))." }
        return ToolResult.error(text, structured: [
            "error": "unknown_tool",
            "suggestions": .array(close.map { .string($0) }),
            "hits": .array(hits.map { ["server": .string($0.entry.server), "tool": .string($0.entry.tool.name)] }),
        ])
    }
}

extension String {
    /// Tool names as words, so a misspelled name still finds its neighbours by search.
    var replacingSeparators: String {
        String(map { $0 == "_" || $0 == "-" || $0 == "." ? " " : $0 })
    }
}
