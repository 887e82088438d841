// Whole nanoseconds of a `Duration`, for every module that counts time in integers (timeouts,
// the circuit breaker's window): one definition instead of a conversion per call site.

extension Duration {
    /// The whole nanoseconds, saturated at Int64's range: a Duration holds far more than Int64 nanoseconds,
    /// and a timeout is the wrong place to trap even when the loader's range check was bypassed.
    public var saturatingNanoseconds: Int64 {
        let (seconds, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return components.seconds < 0 ? .min : .max }
        let (total, sumOverflow) = seconds.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        if sumOverflow { return seconds < 0 ? .min : .max }
        return total
    }
}
