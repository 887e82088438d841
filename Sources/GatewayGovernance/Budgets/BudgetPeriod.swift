// The UTC day and month a moment falls in, as the keys spending is kept under
// ("2026-12-06", "2026-12"). Civil-date arithmetic from the Unix time, no calendar objects.

import GatewayConfig

public struct BudgetPeriod: Sendable, Equatable {
    public let day: String
    public let month: String

    /// The period of `unixSeconds`.
    public init(unixSeconds: Double) {
        let days = Int((unixSeconds / 86_400).rounded(.down))
        let (year, month, day) = CivilDate.date(daysSince1970: days)
        self.month = CivilDate.padded(year, width: 4) + "-" + CivilDate.padded(month, width: 2)
        self.day = self.month + "-" + CivilDate.padded(day, width: 2)
    }

}
