// The address ranges an outbound capability request may not reach unless `security.ssrf_allow` says so:
// this machine, private networks, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254),
// carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges. Audited against the
// IANA IPv4 and IPv6 Special-Purpose Address Registries: every block they mark as not globally
// reachable is here; an IPv6 address that carries an IPv4 one (mapped, NAT64 64:ff9b::/96, 6to4) is
// judged by the IPv4 address it reaches.

import GatewayConfig

enum SpecialUseAddresses {
    static let ipv4: [IPNetwork] = [
        "0.0.0.0/8",        // "this network"
        "10.0.0.0/8",       // private
        "100.64.0.0/10",    // shared address space (carrier-grade NAT)
        "127.0.0.0/8",      // loopback
        "169.254.0.0/16",   // link-local, cloud metadata
        "172.16.0.0/12",    // private
        "192.0.0.0/24",     // IETF protocol assignments
        "192.0.2.0/24",     // documentation (TEST-NET-1)
        "192.88.99.0/24",   // deprecated 6to4 relay anycast
        "192.168.0.0/16",   // private
        "198.18.0.0/15",    // benchmarking
        "198.51.100.0/24",  // documentation (TEST-NET-2)
        "203.0.113.0/24",   // documentation (TEST-NET-3)
        "224.0.0.0/4",      // multicast
        "240.0.0.0/4",      // reserved, limited broadcast
    ].compactMap { IPNetwork($0) }

    static let ipv6: [IPNetwork] = [
        "::/96",            // unspecified, loopback, deprecated IPv4-compatible (::a.b.c.d)
        "100::/64",         // discard-only
        "100:0:0:1::/64",   // dummy prefix
        "64:ff9b:1::/48",   // local-use NAT64: translates to private networks
        "2001::/23",        // IETF protocol assignments (Teredo, benchmarking, ORCHID)
        "2001:db8::/32",    // documentation
        "3fff::/20",        // documentation
        "5f00::/16",        // segment routing (SRv6) SIDs
        "fc00::/7",         // unique local (fd00:ec2::254: EC2 metadata)
        "fe80::/10",        // link-local
        "fec0::/10",        // deprecated site-local
        "ff00::/8",         // multicast
    ].compactMap { IPNetwork($0) }

    /// The IPv4 address carried inside an IPv6 one (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d,
    /// NAT64 64:ff9b::/96, 6to4 2002::/16), which is what a connection really reaches.
    static func embeddedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16 else { return nil }
        let prefix10Zero = bytes[0..<10].allSatisfy { $0 == 0 }
        if prefix10Zero, bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12..<16]) }
        if prefix10Zero, bytes[10] == 0, bytes[11] == 0, bytes[12..<16].contains(where: { $0 != 0 }),
           !(bytes[12..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1) {
            return Array(bytes[12..<16])
        }
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B, bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return Array(bytes[12..<16])
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return Array(bytes[2..<6]) }
        return nil
    }

    /// Whether `bytes` (4 or 16) is special-use, looking through embedded IPv4 addresses.
    static func isSpecialUse(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 { return ipv4.contains { $0.contains(bytes) } }
        if let inner = embeddedIPv4(bytes), ipv4.contains(where: { $0.contains(inner) }) { return true }
        return ipv6.contains { $0.contains(bytes) }
    }
}
