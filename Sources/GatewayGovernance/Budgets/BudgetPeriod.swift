// The UTC day and month a moment falls in, as the keys spending is kept under
// ("2026-12-06", "2026-12"). Civil-date arithmetic from the Unix time, no calendar objects.

public struct BudgetPeriod: Sendable, Equatable {
    public let day: String
    public let month: String

    /// The period of `unixSeconds`.
    public init(unixSeconds: Double) {
        let days = Int((unixSeconds / 86_400).rounded(.down))
        let (year, month, day) = Self.civil(fromDays: days)
        self.month = Self.pad(year, 4) + "-" + Self.pad(month, 2)
        self.day = self.month + "-" + Self.pad(day, 2)
    }

    /// Year, month (1...12) and day (1...31) of a day count since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
