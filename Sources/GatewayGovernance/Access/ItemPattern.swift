// One allow or deny pattern over `server:item`, compiled. A tool or prompt pattern without a
// colon matches the item on any server (the reference's bare tool names); a resource pattern
// always names its server, since URIs hold colons themselves (the config loader insists).

import GatewayConfig

public struct ItemPattern: Sendable, Hashable {
    public let text: String
    let server: Glob?
    let item: Glob

    public init(_ text: String) {
        self.text = text
        if let colon = text.firstIndex(of: ":") {
            server = Glob(String(text[..<colon]))
            item = Glob(String(text[text.index(after: colon)...]))
        } else {
            server = nil
            item = Glob(text)
        }
    }

    public func matches(server name: String, item value: String) -> Bool {
        if let server, !server.matches(name) { return false }
        return item.matches(value)
    }
}
