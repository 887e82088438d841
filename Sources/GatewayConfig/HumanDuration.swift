// Parses durations as people write them in config files: `30s`, `5m`, `100ms`, `1h`, `1m30s`, or bare seconds.

/// Parser for human-written durations.
public enum HumanDuration {
    /// Parses `text`, or returns nil if it is not a duration.
    ///
    /// A bare non-negative integer is seconds. Otherwise one or more `<integer><unit>` parts, optionally
    /// separated by blanks, are summed. Units: `ms` (`msec`, `millis`), `s` (`sec`, `secs`, `second(s)`),
    /// `m` (`min`, `mins`, `minute(s)`), `h` (`hr`, `hrs`, `hour(s)`), `d` (`day(s)`).
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingBlanks()
        guard !trimmed.isEmpty else { return nil }
        if trimmed.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int64(trimmed), seconds <= maximumMilliseconds / 1000 else { return nil }
            return .seconds(seconds)
        }
        let characters = Array(trimmed)
        var index = 0
        var totalMilliseconds: Int64 = 0
        var sawPart = false
        while index < characters.count {
            while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
            if index == characters.count { break }
            var digits = ""
            while index < characters.count, characters[index].isASCIIDigit {
                digits.append(characters[index])
                index += 1
            }
            while index < characters.count, characters[index] == " " { index += 1 }
            var unit = ""
            while index < characters.count, characters[index].isLetter {
                unit.append(characters[index])
                index += 1
            }
            guard let amount = Int64(digits), let scale = millisecondsPerUnit[unit.lowercased()] else { return nil }
            let (part, partOverflow) = amount.multipliedReportingOverflow(by: scale)
            let (sum, sumOverflow) = totalMilliseconds.addingReportingOverflow(part)
            guard !partOverflow, !sumOverflow, sum <= maximumMilliseconds else { return nil }
            totalMilliseconds = sum
            sawPart = true
        }
        return sawPart ? .milliseconds(totalMilliseconds) : nil
    }

    /// Ten years: anything longer in a config file is a typo, and it keeps arithmetic far from overflow.
    static let maximumMilliseconds: Int64 = 10 * 366 * 24 * 3600 * 1000

    private static let millisecondsPerUnit: [String: Int64] = {
        var table: [String: Int64] = [:]
        for unit in ["ms", "msec", "msecs", "millis", "millisecond", "milliseconds"] { table[unit] = 1 }
        for unit in ["s", "sec", "secs", "second", "seconds"] { table[unit] = 1000 }
        for unit in ["m", "min", "mins", "minute", "minutes"] { table[unit] = 60_000 }
        for unit in ["h", "hr", "hrs", "hour", "hours"] { table[unit] = 3_600_000 }
        for unit in ["d", "day", "days"] { table[unit] = 86_400_000 }
        return table
    }()
}
