// What one budget holder (a principal, or a tool glob for everyone) has spent in the current
// UTC day and month, and which alert thresholds have fired in each. Codable: the ledger is
// saved to a file and read back at start, so a restart does not hand out a fresh budget.

public struct SpendingRecord: Sendable, Codable, Equatable {
    public var day: String
    public var daySpent: Double
    public var dayAlerts: [Double]
    public var month: String
    public var monthSpent: Double
    public var monthAlerts: [Double]

    public init(period: BudgetPeriod) {
        day = period.day
        daySpent = 0
        dayAlerts = []
        month = period.month
        monthSpent = 0
        monthAlerts = []
    }

    /// Starts a new day or month when `period` is past the one recorded.
    public mutating func roll(to period: BudgetPeriod) {
        if day != period.day {
            day = period.day
            daySpent = 0
            dayAlerts = []
        }
        if month != period.month {
            month = period.month
            monthSpent = 0
            monthAlerts = []
        }
    }
}
