// How a capability request reaches the address the SSRF guard checked, never a second DNS
// answer for the same name (DNS rebinding between check and connect). Plain HTTP rewrites the
// URL to the address (HTTPExchange); HTTPS cannot, because TLS needs the name for SNI and the
// certificate check, so it gets a client of its own for the exchange whose DNS override maps the
// name to the checked address: the URL, the SNI and the verified name stay the host name.

import AsyncHTTPClient
import GatewayConfig

enum PinnedClient {
    /// The settings every capability client shares: redirects are the executor's to follow
    /// (each hop is checked), connecting gives up after 10 s.
    static var baseConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        return configuration
    }

    /// A configuration that connects `host` (as the URL spells it) to `address` only.
    static func configuration(pinning host: String, to address: [UInt8]) -> HTTPClient.Configuration {
        var configuration = baseConfiguration
        let literal = IPNetwork.format(address)
        // Keyed by the name as the URL spells it (what the client looks up) and lowercased;
        // assigned one by one, since the two are often the same key.
        configuration.dnsOverride[host] = literal
        configuration.dnsOverride[host.lowercased()] = literal
        return configuration
    }

    /// Whether a request to `target` needs a pinned client: HTTPS to a name (an address
    /// literal has nothing to re-resolve).
    static func isNeeded(for target: URLParts) -> Bool {
        target.scheme == "https" && IPNetwork.parseAddress(target.host) == nil
    }
}
