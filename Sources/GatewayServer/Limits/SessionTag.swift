// Session ids are bearer credentials: whoever has one can act as that client. Logs at info
// level name a session by a short tag instead, a keyed hash (Swift's Hasher is seeded per
// process) that correlates log lines within one run and cannot be turned back into the id.

enum SessionTag {
    static func of(_ sessionID: String) -> String {
        var hasher = Hasher()
        hasher.combine(sessionID)
        let value = UInt32(truncatingIfNeeded: hasher.finalize())
        let hex = String(value, radix: 16)
        return "#" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
