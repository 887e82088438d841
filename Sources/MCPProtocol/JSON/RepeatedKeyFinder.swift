// Finds a repeated key among the members of an object collected so far, for the readers that
// keep a repeated key's last value (as the backends' parsers do). A linear scan serves the
// handful of members a message has without hashing; past a few, a dictionary takes over: a
// 10 MB body of a million short keys would otherwise cost ~10^12 string compares.

struct RepeatedKeyFinder {
    static let linearLimit = 16
    private var positions: [String: Int] = [:]
    private var indexed = false

    /// The position of an earlier member named `key` among the `count` collected so far (each
    /// key once, `keyAt` reading them), or nil when `key` is new: it will stand at `count`.
    mutating func earlier(_ key: String, count: Int, keyAt: (Int) -> String) -> Int? {
        if !indexed {
            if count < Self.linearLimit {
                for position in 0..<count where keyAt(position) == key { return position }
                return nil
            }
            positions.reserveCapacity(count * 2)
            for position in 0..<count { positions[keyAt(position)] = position }
            indexed = true
        }
        if let position = positions[key] { return position }
        positions[key] = count
        return nil
    }
}
