// Tools listed directly in tools/list (`meta_mcp.surfaced_tools`) under namespaced names,
// with the table that maps those names back to (server, tool).

import GatewayConfig
import MCPProtocol

struct SurfacedTools: Sendable {
    struct Entry: Sendable {
        var exposedName: String
        var server: String
        var tool: String
        var definition: RawJSON
    }

    let entries: [Entry]
    let byName: [String: Entry]
    let generation: Int

    init(config: [SurfacedTool], snapshot: CatalogSnapshot, namespacer: ToolNamespacer) {
        let available = config.compactMap { wanted -> (SurfacedTool, CatalogEntry)? in
            snapshot.entry(server: wanted.server, tool: wanted.tool).map { (wanted, $0) }
        }
        let names = namespacer.assign(available.map { ($0.0.server, $0.0.tool) }, reserved: MetaToolName.all)
        var entries: [Entry] = []
        for (index, pair) in available.enumerated() {
            let definition = RawObjectEditor.replacing(key: "name", with: .string(names[index]), in: pair.1.tool.raw)
            entries.append(Entry(exposedName: names[index], server: pair.0.server, tool: pair.0.tool, definition: definition))
        }
        self.entries = entries
        self.byName = Dictionary(entries.map { ($0.exposedName, $0) }, uniquingKeysWith: { a, _ in a })
        self.generation = snapshot.generation
    }
}

enum RawObjectEditor {
    /// The object with one member's value replaced, every other byte unchanged.
    static func replacing(key: String, with value: JSONValue, in raw: RawJSON) -> RawJSON {
        let bytes = raw.bytes
        guard let members = try? JSONScanner.members(of: bytes),
              let member = members.first(where: { $0.key == key }) else { return raw }
        var out = Array(bytes[..<member.range.lowerBound])
        out.append(contentsOf: JSONWriter.encode(value))
        out.append(contentsOf: bytes[member.range.upperBound...])
        return RawJSON(out)
    }
}
