// Redirects are followed by the executor itself (the HTTP client has them disabled) so that every hop
// passes the SSRF check, and neither credentials nor a request body are carried to another origin.

enum RedirectPolicy {
    static let maxRedirects = 5

    static func isRedirect(_ status: Int) -> Bool {
        [301, 302, 303, 307, 308].contains(status)
    }

    /// The absolute URL a `Location` header points to from `current`; nil when it is not http(s).
    static func target(of location: String, from current: URLParts) -> URLParts? {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return URLParts(location) }
        if location.hasPrefix("//") { return URLParts(current.scheme + ":" + location) }
        if location.hasPrefix("/") { return URLParts(current.origin + location) }
        let pathEnd = current.rest.firstIndex { $0 == "?" || $0 == "#" } ?? current.rest.endIndex
        let path = current.rest[..<pathEnd]
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return URLParts(current.origin + directory + location)
    }

    /// The next request: 303 (and 301/302 after anything but GET/HEAD) becomes a GET without body, as
    /// browsers do; 307/308 repeat the request, but only on the same origin when it has a body (the
    /// body was written for the first origin: it may be a secret's carrier, and another origin must
    /// not receive it). Headers that may carry credentials stay on the same origin.
    static func follow(_ request: PreparedRequest, status: Int, to target: URLParts, from current: URLParts,
                       credentialHeaders: Set<String>) throws(CapabilityCallError) -> PreparedRequest {
        var next = request
        next.url = target.text
        if status == 303 || ((status == 301 || status == 302) && !["GET", "HEAD"].contains(request.method)) {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll { $0.name.lowercased() == "content-type" }
        }
        if target.origin != current.origin {
            if next.body != nil { throw .crossOriginRedirectWithBody(from: current.origin, to: target.origin) }
            next.headers.removeAll { credentialHeaders.contains($0.name.lowercased()) || $0.name.lowercased() == "cookie" }
        }
        return next
    }
}
