// An IPv4 or IPv6 address range in CIDR form (`10.0.0.0/8`, `fe80::/10`; a bare address is a /32 or /128).
// Parsed by hand (no inet_pton) so that config validation needs no system call and behaves the same everywhere.

/// A range of IP addresses: a prefix of `prefixLength` bits of `address` (4 bytes for IPv4, 16 for IPv6).
public struct IPNetwork: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Network-order bytes with the host bits cleared.
    public let address: [UInt8]
    public let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/BITS`; nil when the text is neither.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let bytes = IPNetwork.parseAddress(String(parts[0])) else {
            return nil
        }
        let maxBits = bytes.count * 8
        var bits = maxBits
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let parsed = Int(parts[1]),
                  parsed <= maxBits else { return nil }
            bits = parsed
        }
        self.init(bytes: bytes, prefixLength: bits)
    }

    /// A network from raw address bytes (4 or 16); the host bits are cleared.
    public init(bytes: [UInt8], prefixLength: Int) {
        var masked = bytes
        for index in masked.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefixLength {
                masked[index] = 0
            } else if prefixLength - bitsBefore < 8 {
                masked[index] &= UInt8(0xFF) << UInt8(8 - (prefixLength - bitsBefore))
            }
        }
        address = masked
        self.prefixLength = prefixLength
    }

    public var isIPv4: Bool { address.count == 4 }

    /// Whether `bytes` (4 or 16 bytes) lies in this range; an IPv4 address never matches an IPv6 range.
    public func contains(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == address.count else { return false }
        return IPNetwork(bytes: bytes, prefixLength: prefixLength).address == address
    }

    public var description: String {
        IPNetwork.format(address) + (prefixLength == address.count * 8 ? "" : "/\(prefixLength)")
    }

    /// Dotted quad or RFC 5952 text of 4 or 16 bytes.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [UInt16] = []
        for index in stride(from: 0, to: bytes.count, by: 2) {
            groups.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        }
        // The longest run (of at least two) of zero groups becomes "::".
        var best: Range<Int>?
        var start: Int?
        for index in 0...groups.count {
            if index < groups.count, groups[index] == 0 {
                if start == nil { start = index }
            } else if let runStart = start {
                if index - runStart >= 2, index - runStart > (best?.count ?? 0) { best = runStart..<index }
                start = nil
            }
        }
        let hex = { (range: Range<Int>) in groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard let best else { return hex(0..<groups.count) }
        return hex(0..<best.lowerBound) + "::" + hex(best.upperBound..<groups.count)
    }

    /// The bytes of an IPv4 (4) or IPv6 (16) address, or nil. IPv6 may end in a dotted quad and may
    /// carry brackets; zone ids (`%eth0`) are refused because they do not name one address.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.contains(":") { return parseIPv6(text) }
        return parseIPv4(text)
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            // Leading zeros are refused: some resolvers read them as octal.
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit),
                  part == "0" || !part.hasPrefix("0"), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowTrailingIPv4: Bool) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowTrailingIPv4, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        if halves.count == 1 {
            guard let bytes = groups(halves[0], allowTrailingIPv4: true), bytes.count == 16 else { return nil }
            return bytes
        }
        guard let head = groups(halves[0], allowTrailingIPv4: false),
              let tail = groups(halves[1], allowTrailingIPv4: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
