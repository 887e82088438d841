// gateway_search_tools: ranked search over the catalog; the top hits carry their input
// schema so the agent can invoke in the next step.

import GatewayAuth
import GatewayProfiles
import GatewayTelemetry
import GatewayTracing
import MCPProtocol
import Tracing

struct SearchToolsTool {
    static let defaultLimit = 5
    static let maximumLimit = 25
    static let hitsWithSchema = 3
    static let descriptionLimit = 300
    let catalog: Catalog
    let access: AccessControl
    var metrics: GatewayMetrics?
    var profiles: ToolProfiles?
    var tracer: GatewayTracer?

    func run(arguments: JSONValue, principal: Principal) async -> [UInt8] {
        guard let tracer else { return await search(arguments: arguments, principal: principal, span: nil) }
        return await tracer.withSpan(MCPSpanNames.search) { span in
            await search(arguments: arguments, principal: principal, span: span)
        }
    }

    /// `span` (tracing on) hears the limit and the number of hits.
    private func search(arguments: JSONValue, principal: Principal, span: (any Span)?) async -> [UInt8] {
        guard let query = arguments["query"]?.stringValue, !query.trimmingWhitespace.isEmpty else {
            return ToolResult.error("gateway_search_tools needs a non-empty 'query' string, e.g. {\"query\": \"read a file\"}.")
        }
        let limit = min(max(arguments["limit"]?.intValue ?? Self.defaultLimit, 1), Self.maximumLimit)
        await catalog.ensureDiscovered()
        let withStats = ToolStatsIncluded.isRequested(arguments)
        let stats = withStats ? await ToolStatsIncluded.totals(profiles) : nil
        return Self.render(query: query, limit: limit, view: access.view(of: catalog.snapshot, for: principal), metrics: metrics,
                           stats: withStats ? .some(stats) : nil, span: span)
    }

    /// The result written straight to JSON: a tree of JSONValues for it cost ~20k instructions
    /// a search in building and freeing (callgrind).
    /// `stats`: nil when not asked for; `.some(nil)` when asked for but unavailable.
    static func render(query: String, limit: Int, view: CatalogView, metrics: GatewayMetrics? = nil,
                       stats: [ToolProfiles.ToolKey: ToolDayCounts]?? = nil, span: (any Span)? = nil) -> [UInt8] {
        let start = MonotonicNanoseconds.now()
        let hits = view.search(query, limit: limit)
        metrics?.recordSearch(nanoseconds: MonotonicNanoseconds.now() - start, hits: hits.count)
        if let span, span.isRecording {
            span.attributes.set(MCPSpanNames.searchLimit, value: .int64(Int64(limit)))
            span.attributes.set(MCPSpanNames.searchHits, value: .int64(Int64(hits.count)))
        }
        var json: [UInt8] = []
        json.reserveCapacity(256 + hits.count * 320)
        json.append(contentsOf: #"{"matches":["#.utf8)
        for (rank, hit) in hits.enumerated() {
            if rank > 0 { json.append(UInt8(ascii: ",")) }
            json.append(contentsOf: #"{"server":"#.utf8)
            JSONWriter.writeString(hit.entry.server, into: &json)
            json.append(contentsOf: #","tool":"#.utf8)
            JSONWriter.writeString(hit.entry.tool.name, into: &json)
            json.append(contentsOf: #","description":"#.utf8)
            JSONWriter.writeString(truncate(hit.entry.tool.description), into: &json)
            json.append(contentsOf: #","score":"#.utf8)
            JSONWriter.write(.double((hit.score * 1000).rounded() / 1000), into: &json)
            // A query naming several needs: which part of it this hit answers.
            if let need = hit.need {
                json.append(contentsOf: #","need":"#.utf8)
                JSONWriter.writeString(need, into: &json)
            }
            // Tool pinning, warn mode: the definition is not the approved one.
            if hit.entry.pinChange != nil { json.append(contentsOf: #","changed":true"#.utf8) }
            if rank < hitsWithSchema {
                json.append(contentsOf: #","inputSchema":"#.utf8)
                json.append(contentsOf: hit.entry.tool.inputSchema.bytes)
            }
            if case .some(.some(let stats)) = stats {
                json.append(contentsOf: #","stats":"#.utf8)
                JSONWriter.write(ToolStatsIncluded.json(stats[.init(server: hit.entry.server, tool: hit.entry.tool.name)]), into: &json)
            }
            json.append(UInt8(ascii: "}"))
        }
        json.append(contentsOf: #"],"total":"#.utf8)
        json.append(contentsOf: String(hits.count).utf8)
        if case .some(.none) = stats {
            json.append(contentsOf: #","stats_unavailable":"#.utf8)
            JSONWriter.writeString(ToolStatsIncluded.unavailableNote, into: &json)
        }
        UnavailableServersNote.write(view.unavailableServers, into: &json)
        json.append(UInt8(ascii: "}"))
        return ToolResult.structured(json: json)
    }

    static func truncate(_ text: String) -> String {
        // Most descriptions are short ASCII with no surrounding space: nothing to do.
        if text.utf8.count <= descriptionLimit, let first = text.utf8.first, let last = text.utf8.last,
            (0x21..<0x80).contains(first), (0x21..<0x80).contains(last) {
            return text
        }
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
