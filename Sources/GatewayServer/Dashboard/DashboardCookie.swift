// The dashboard's session cookie on the wire: reading it from a request's Cookie headers and
// writing the Set-Cookie that gives or ends it. The cookie is HttpOnly (no script reads it),
// SameSite=Strict (no other site's page makes the browser send it), scoped to /ui (the only
// paths where the gate accepts it) and Secure when the gateway serves TLS.

import HTTPTypes

enum DashboardCookie {
    static let name = "mcp_gateway_ui"

    /// Every value the request gives the cookie, in order: a browser sends one per matching
    /// path and domain, so there may be several (each Cookie field is `a=b; c=d`, RFC 6265 §4.2).
    static func values(in headers: HTTPFields) -> [Substring] {
        values(inCookieFields: headers[values: .cookie])
    }

    static func values(inCookieFields fields: [String]) -> [Substring] {
        var found: [Substring] = []
        for field in fields {
            for pair in field.split(separator: ";", omittingEmptySubsequences: true) {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                guard pair[..<equals].trimmingSpaces() == name else { continue }
                var value = pair[pair.index(after: equals)...].trimmingSpaces()
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                if !value.isEmpty { found.append(value) }
            }
        }
        return found
    }

    /// Gives the browser session `id` for `maxAge` seconds.
    static func set(_ id: String, maxAge: Int, secure: Bool) -> String {
        attributes("\(name)=\(id)", maxAge: maxAge, secure: secure)
    }

    /// Makes the browser forget the cookie (logout).
    static func expired(secure: Bool) -> String {
        attributes("\(name)=", maxAge: 0, secure: secure)
    }

    private static func attributes(_ pair: String, maxAge: Int, secure: Bool) -> String {
        "\(pair); Path=/ui; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)" + (secure ? "; Secure" : "")
    }
}

extension Substring {
    /// Without the spaces and tabs around it (the optional whitespace of a header field).
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
