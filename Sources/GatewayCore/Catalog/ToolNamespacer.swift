// Client-facing names for surfaced tools: `server__tool`, only `[A-Za-z0-9_-]`, short
// enough for clients that add their own `mcp__<name>__` prefix. Names map back through a
// table, never by splitting the string.

public struct ToolNamespacer: Sendable {
    /// 64 is the common client limit; the default leaves room for `mcp__gateway__` (14).
    public static let defaultMaximumLength = 50
    public let maximumLength: Int

    public init(maximumLength: Int = ToolNamespacer.defaultMaximumLength) {
        self.maximumLength = max(16, maximumLength)
    }

    /// Assigns unique names to the given (server, tool) pairs, in order. Names already taken
    /// (`reserved`, e.g. the meta-tools) are never produced.
    public func assign(_ pairs: [(server: String, tool: String)], reserved: Set<String> = []) -> [String] {
        var taken = reserved
        var names: [String] = []
        names.reserveCapacity(pairs.count)
        for pair in pairs {
            var candidate = fit(Self.sanitize(pair.server) + "__" + Self.sanitize(pair.tool), seed: "\(pair.server)\u{0}\(pair.tool)")
            var attempt = 1
            while taken.contains(candidate) {
                attempt += 1
                candidate = fit(Self.sanitize(pair.server) + "__" + Self.sanitize(pair.tool), seed: "\(pair.server)\u{0}\(pair.tool)\u{0}\(attempt)", forceHash: true)
            }
            taken.insert(candidate)
            names.append(candidate)
        }
        return names
    }

    /// Replaces every character outside `[A-Za-z0-9_-]` with `_`.
    public static func sanitize(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-": out.unicodeScalars.append(scalar)
            default: out.append("_")
            }
        }
        return out.isEmpty ? "_" : out
    }

    /// Truncates to the limit with a short stable hash suffix, so long names stay unique.
    private func fit(_ name: String, seed: String, forceHash: Bool = false) -> String {
        if name.count <= maximumLength && !forceHash { return name }
        let suffix = "_" + Self.hash6(seed)
        return String(name.prefix(maximumLength - suffix.count)) + suffix
    }

    /// Six hex digits of FNV-1a: stable across runs and platforms.
    static func hash6(_ s: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in s.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash & 0xFFFFFF, radix: 16)
        return String(repeating: "0", count: 6 - hex.count) + hex
    }
}
