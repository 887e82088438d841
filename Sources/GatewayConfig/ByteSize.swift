// Parses sizes as people write them in config files: `10485760`, `10MiB`, `10MB`, `512KB`, `512k`, `1GB`.

/// Parser for human-written byte counts.
public enum ByteSize {
    /// Parses `text` into a number of bytes, or returns nil if it is not a size.
    ///
    /// A bare non-negative integer is bytes. Units are case-insensitive and may follow a blank:
    /// `B`; `K`/`KB`, `M`/`MB`, `G`/`GB`, `T`/`TB` are powers of 1000 (SI);
    /// `KiB`/`Ki`, `MiB`/`Mi`, `GiB`/`Gi`, `TiB`/`Ti` are powers of 1024. So `10MB` is 10,000,000 and
    /// `10MiB` is 10,485,760; only the `i` makes a unit binary.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingBlanks()
        let digits = trimmed.prefix { $0.isASCIIDigit }
        guard !digits.isEmpty, let amount = Int(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingBlanks().lowercased()
        guard let scale = bytesPerUnit[unit] else { return nil }
        let (bytes, overflow) = amount.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    private static let bytesPerUnit: [String: Int] = {
        var table: [String: Int] = ["": 1, "b": 1]
        let prefixes = ["k", "m", "g", "t"]
        for (position, prefix) in prefixes.enumerated() {
            let power = position + 1
            let decimal = (0..<power).reduce(1) { result, _ in result * 1000 }
            let binary = (0..<power).reduce(1) { result, _ in result * 1024 }
            table[prefix] = decimal
            table[prefix + "b"] = decimal
            table[prefix + "i"] = binary
            table[prefix + "ib"] = binary
        }
        return table
    }()
}
