// Decides whether a capability request may go to a host: every address the host resolves to must be
// public or allowed by `security.ssrf_allow` (the name alone proves nothing). The connection then goes to
// the checked address, for HTTP and HTTPS alike (PinnedClient, HTTPExchange).

import GatewayConfig

/// The outcome of vetting one URL's host.
struct VettedHost: Sendable, Equatable {
    /// The address to connect to (the first one resolved).
    let address: [UInt8]
}

struct SSRFGuard: Sendable {
    let allow: [IPNetwork]
    /// The name lookup (tests give one that answers what they need).
    var resolve: @Sendable (String) async -> [[UInt8]] = AddressResolver.resolve

    func isAllowed(_ address: [UInt8]) -> Bool {
        if allow.contains(where: { $0.contains(address) }) { return true }
        if let inner = SpecialUseAddresses.embeddedIPv4(address), allow.contains(where: { $0.contains(inner) }) { return true }
        return !SpecialUseAddresses.isSpecialUse(address)
    }

    func vet(host: String) async throws(CapabilityCallError) -> VettedHost {
        let addresses: [[UInt8]]
        if let literal = IPNetwork.parseAddress(host) {
            addresses = [literal]
        } else {
            addresses = await resolve(host)
        }
        guard let first = addresses.first else { throw .unresolvableHost(host) }
        for address in addresses where !isAllowed(address) {
            throw .ssrfRefused(host: host, address: IPNetwork.format(address))
        }
        return VettedHost(address: first)
    }
}
