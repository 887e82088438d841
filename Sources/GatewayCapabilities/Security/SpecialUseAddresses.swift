// The address ranges an outbound capability request may not reach unless `security.ssrf_allow` says so:
// this machine, private networks, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254),
// carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges (RFC 6890 and successors).

import GatewayConfig

enum SpecialUseAddresses {
    static let ipv4: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    ].compactMap { IPNetwork($0) }

    static let ipv6: [IPNetwork] = [
        "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
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
