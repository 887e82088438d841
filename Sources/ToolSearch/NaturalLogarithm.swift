// ln(x) in plain Swift, so the module needs neither Foundation nor a platform C library for IDF.

/// Natural logarithm of a positive, finite `x` (IDF arguments are always ≥ 1).
func naturalLogarithm(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
    // x = m · 2^e with m in [1, 2); ln m = 2·atanh((m − 1)/(m + 1)) converges fast there.
    let exponent = Double(x.exponent)
    let mantissa = x.significand
    let ratio = (mantissa - 1) / (mantissa + 1)
    let ratioSquared = ratio * ratio
    var power = ratio
    var sum = 0.0
    var denominator = 1.0
    while true {
        let term = power / denominator
        if abs(term) < 1e-17 { break }
        sum += term
        power *= ratioSquared
        denominator += 2
    }
    let ln2 = 0.693_147_180_559_945_309_417_232_121_458
    return exponent * ln2 + 2 * sum
}
