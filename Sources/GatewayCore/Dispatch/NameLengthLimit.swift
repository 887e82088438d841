// The cap on names in requests (`server.limits.max_name_length`, in UTF-8 bytes): tool, server
// and prompt names. A name past it is refused before any lookup, search or did-you-mean work,
// whose cost grows with the name's length (edit distances are quadratic), and the error
// quotes only the name's start, so a huge name is not echoed back either.

public enum NameLengthLimit {
    /// The complaint about `name` (a `what`, e.g. "tool name"), or nil when it is short enough.
    public static func problem(_ name: String, what: String, limit: Int) -> String? {
        let length = name.utf8.count
        guard length > limit else { return nil }
        return "The \(what) is \(length) bytes long, more than server.limits.max_name_length (\(limit)): '\(name.prefix(32))…'"
    }
}
