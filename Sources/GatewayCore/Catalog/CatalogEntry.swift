// One tool in the gateway's catalog: which backend serves it and its definition.

import GatewayGovernance
import MCPProtocol

public struct CatalogEntry: Sendable {
    public var server: String
    public var tool: ToolDefinition
    /// Tool pinning (`warn` mode): how the definition differs from the approved one; nil when
    /// it is the approved one or not pinned. Listings and search hits show `changed: true`.
    public var pinChange: PinStatus?
    /// A tool the gateway ships (the capability starter pack) rather than one the user configured.
    public var isBuiltIn: Bool

    public init(server: String, tool: ToolDefinition, pinChange: PinStatus? = nil, isBuiltIn: Bool = false) {
        self.server = server
        self.tool = tool
        self.pinChange = pinChange
        self.isBuiltIn = isBuiltIn
    }

    /// Keywords a capability file gives its tool (`_meta.tags`), indexed by search.
    var tags: [String] {
        guard let members = try? JSONScanner.members(of: tool.raw.bytes),
              let meta = members.first(where: { $0.key == "_meta" }),
              let value = try? JSONParser.parse(tool.raw.bytes[meta.range]) else { return [] }
        return value["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The first sentence of the description: what compact listings show.
    public var summary: String { Self.firstSentence(tool.description) }

    static func firstSentence(_ text: String, maximum: Int = 160) -> String {
        let trimmed = text.drop(while: { $0.isWhitespace })
        var end = trimmed.endIndex
        var index = trimmed.startIndex
        while index < trimmed.endIndex {
            let c = trimmed[index]
            if c == "\n" { end = index; break }
            if c == "。" {
                end = trimmed.index(after: index)
                break
            }
            if c == "." {
                let next = trimmed.index(after: index)
                if next == trimmed.endIndex || trimmed[next].isWhitespace {
                    end = index
                    break
                }
            }
            index = trimmed.index(after: index)
        }
        var sentence = String(trimmed[..<end])
        if sentence.count > maximum { sentence = String(sentence.prefix(maximum - 1)) + "…" }
        return sentence
    }
}
