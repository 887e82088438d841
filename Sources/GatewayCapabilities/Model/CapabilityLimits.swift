// The ranges numbers in capability files must fall in. They are checked when a file loads (with its
// line), so that no value from a file can overflow a conversion later, on a hot reload or a first call.

public enum CapabilityLimits {
    /// The longest provider `timeout`. Longer is a typo: a call never waits more than an hour.
    public static let maxTimeout: Duration = .seconds(3600)
    /// The most a response may be (larger answers are refused rather than cut: a cut JSON cannot be
    /// parsed), and so the largest `transform.truncate`.
    public static let maxResponseBytes = 10 * 1024 * 1024
}
