// The catalog as one principal sees it: the shared snapshot with the tools and servers its
// scopes hide taken out. Listings, search, counts and did-you-mean all read a view, so a
// hidden tool exists nowhere for that principal. For an unrestricted principal the view is
// the snapshot itself, with no copy.

import GatewayGovernance
import MCPProtocol
import ToolSearch

public struct CatalogView: Sendable {
    public let snapshot: CatalogSnapshot
    public let access: PrincipalAccess
    /// Which snapshot entries are visible; nil: all of them.
    let filter: DocumentFilter?
    /// Visible tools, in catalog order.
    public let entries: [CatalogEntry]
    /// Visible servers, in catalog order.
    public let serverNames: [String]
    /// Visible servers whose tool list is not known yet.
    public let unavailableServers: [String]

    /// Everything in `snapshot`.
    public init(unrestricted snapshot: CatalogSnapshot) {
        self.snapshot = snapshot
        access = .unrestricted
        filter = nil
        entries = snapshot.entries
        serverNames = snapshot.serverNames
        unavailableServers = snapshot.unavailableServers
    }

    public init(snapshot: CatalogSnapshot, access: PrincipalAccess) {
        self.snapshot = snapshot
        self.access = access
        guard !access.isUnrestricted else {
            filter = nil
            entries = snapshot.entries
            serverNames = snapshot.serverNames
            unavailableServers = snapshot.unavailableServers
            return
        }
        var visible = [Bool](repeating: false, count: snapshot.entries.count)
        var entries: [CatalogEntry] = []
        for (position, entry) in snapshot.entries.enumerated()
        where access.evaluate(.tool(server: entry.server, name: entry.tool.name)).isVisible {
            visible[position] = true
            entries.append(entry)
        }
        filter = DocumentFilter(visible: visible)
        self.entries = entries
        serverNames = snapshot.serverNames.filter { access.isVisible(.server($0)) }
        unavailableServers = snapshot.unavailableServers.filter { access.isVisible(.server($0)) }
    }

    public var isFiltered: Bool { filter != nil }

    public func isServerVisible(_ server: String) -> Bool {
        filter == nil || access.isVisible(.server(server))
    }

    /// The entry when it exists and is visible.
    public func entry(server: String, tool: String) -> CatalogEntry? {
        guard let entry = snapshot.entry(server: server, tool: tool) else { return nil }
        guard filter != nil else { return entry }
        return access.isVisible(.tool(server: server, name: tool)) ? entry : nil
    }

    public func tools(of server: String) -> [CatalogEntry] {
        entries.filter { $0.server == server }
    }

    /// Visible tools per server, in one pass over the entries.
    public func toolCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in entries { counts[entry.server, default: 0] += 1 }
        return counts
    }

    /// Ranked hits; `need` is the part of a several-needs query a hit answers.
    public func search(_ query: String, limit: Int) -> [(entry: CatalogEntry, score: Double, need: String?)] {
        snapshot.index.search(query, limit: limit, filter: filter).map { (snapshot.entries[$0.document], $0.score, $0.need) }
    }
}
