// A backend URL taken apart once (transports send every message to the same one): where to
// connect, and what to put in the request line and the Host header.

import Foundation

struct HTTPTarget: Sendable, Hashable {
    let url: String
    /// True for `http://`: served by the plain HTTP/1.1 client; anything else goes through
    /// AsyncHTTPClient (TLS).
    let isPlain: Bool
    let host: String
    let port: Int
    let pathAndQuery: String
    let hostHeader: String
    /// Where connections to this target are pooled.
    let origin: String

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else { return nil }
        self.url = url
        isPlain = scheme == "http"
        let defaultPort = scheme == "https" || scheme == "wss" ? 443 : 80
        port = components.port ?? defaultPort
        // An IPv6 literal keeps its brackets in the Host header, not in the address to connect to.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let bracketed = self.host.contains(":") ? "[\(self.host)]" : self.host
        hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        var path = components.percentEncodedPath
        if path.isEmpty { path = "/" }
        if let query = components.percentEncodedQuery { path += "?\(query)" }
        pathAndQuery = path
        origin = "\(self.host):\(port)"
    }
}
