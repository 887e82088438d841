// Where one tool stands against its pin. Anything but `pinned` is held in `enforce` mode and
// flagged in `warn` mode; `change` is the wording refusals, logs and /health use.

public enum PinStatus: Sendable, Equatable, Hashable {
    /// The definition is the approved one.
    case pinned
    /// The definition differs from the pin in these fields (`description`, `inputSchema`...).
    case changed(fields: [String])
    /// A tool the approved server did not have.
    case added
    /// A new name for a tool that disappeared with the same description.
    case renamed(from: String)
    /// The pin file cannot be read or trusted: nothing of the server is trusted.
    case untrusted(reason: String)

    public var isPinned: Bool { self == .pinned }

    /// What changed, in words: "description and inputSchema changed", "new tool"...
    public var change: String {
        switch self {
        case .pinned: return "unchanged"
        case .changed(let fields): return Self.list(fields) + " changed"
        case .added: return "new tool"
        case .renamed(let from): return "renamed from '\(from)'"
        case .untrusted(let reason): return "pins not trusted: \(reason)"
        }
    }

    /// A short stable word for machine-readable output (`/health`, the audit trail).
    public var kind: String {
        switch self {
        case .pinned: return "pinned"
        case .changed: return "changed"
        case .added: return "added"
        case .renamed: return "renamed"
        case .untrusted: return "untrusted"
        }
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return "definition"
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }
}
