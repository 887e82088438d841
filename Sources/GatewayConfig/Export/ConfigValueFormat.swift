// The inverse of HumanDuration.parse and ByteSize.parse: the text a config file would hold for a
// duration or a size, in the largest unit that is exact, so an export reads like a hand-written
// file ("5m", "10MiB") and parses back to the same value.

extension HumanDuration {
    /// `duration` as `parse` reads it back: "0s", "1500ms", "30s", "5m", "2h", "1d".
    /// Config durations are whole milliseconds (the parser's resolution); anything finer is
    /// rounded down to them, and a negative duration is "0s".
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return "0s" }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let milliseconds = overflow ? maximumMilliseconds : min(whole + attoseconds / 1_000_000_000_000_000, maximumMilliseconds)
        if milliseconds == 0 { return "0s" }
        for (unit, scale) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        where milliseconds % scale == 0 {
            return "\(milliseconds / scale)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}

extension ByteSize {
    /// `bytes` as `parse` reads it back: "10MiB", "64KB", or a bare number when no unit is exact.
    /// Binary units are preferred, as the defaults are powers of two.
    public static func format(_ bytes: Int) -> String {
        guard bytes > 0 else { return String(bytes) }
        for (unit, scale) in [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
                              ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000)]
        where bytes % scale == 0 {
            return "\(bytes / scale)\(unit)"
        }
        return String(bytes)
    }
}
