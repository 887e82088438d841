// The media types a POST must name in its Accept and Content-Type headers, matched on bytes
// (CaselessASCII) without lowercased copies.

import MCPProtocol

enum AcceptHeader {
    /// True if `header` contains `mediaType` (lowercase ASCII), ignoring ASCII case.
    static func lists(_ header: String?, _ mediaType: StaticString) -> Bool {
        CaselessASCII.contains(header, mediaType)
    }

    /// True if `header` contains both media types (lowercase ASCII), ignoring ASCII case.
    static func lists(_ header: String?, both first: StaticString, and second: StaticString) -> Bool {
        CaselessASCII.contains(header, first) && CaselessASCII.contains(header, second)
    }

    /// Whether a Content-Type names JSON (`application/json`, any parameters), ASCII case ignored.
    static func isJSON(_ contentType: String?) -> Bool {
        CaselessASCII.hasPrefix(contentType, "application/json")
    }
}
