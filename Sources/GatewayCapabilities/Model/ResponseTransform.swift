// The `transform:` section: what is kept, renamed and hidden of a response before the model sees it,
// and how many bytes it may take.

/// One redaction: a field name hidden wherever it occurs, or a regular expression replaced in text.
public enum RedactionRule: Sendable, Equatable {
    case field(String)
    case pattern(String, replacement: String)
}

/// Response shaping, applied after `response_path`.
public struct ResponseTransform: Sendable, Equatable {
    /// Dot paths kept from an object (or from each object of an array); empty keeps everything.
    public var project: [String]
    /// Key renames, applied to the object (or each object of an array) after projection.
    public var rename: [(from: String, to: String)]
    public var redact: [RedactionRule]
    /// Largest number of bytes of text returned to the model.
    public var truncate: Int?

    /// Applied when a file sets no `truncate`: results larger than this are cut and say so.
    public static let defaultTruncate = 100_000

    public init(project: [String] = [], rename: [(from: String, to: String)] = [], redact: [RedactionRule] = [],
                truncate: Int? = nil) {
        self.project = project
        self.rename = rename
        self.redact = redact
        self.truncate = truncate
    }

    public var isEmpty: Bool { project.isEmpty && rename.isEmpty && redact.isEmpty }

    public static func == (lhs: ResponseTransform, rhs: ResponseTransform) -> Bool {
        lhs.project == rhs.project && lhs.rename.map(\.from) == rhs.rename.map(\.from)
            && lhs.rename.map(\.to) == rhs.rename.map(\.to) && lhs.redact == rhs.redact && lhs.truncate == rhs.truncate
    }
}
