// How a capability authenticates: the credential comes only from the file's side (an environment
// variable or a file the operator controls), never from the caller's arguments.

/// Where a credential is read from when a request is built.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    /// `env:NAME`, `{env.NAME}` or a bare upper-case `NAME`.
    case environment(String)
    /// `file:PATH`: the file's content without surrounding blanks; `file:PATH.json:a.b` reads a JSON field.
    case file(path: String, jsonField: String?)

    /// How the source is written, for messages (never the secret itself).
    public var description: String {
        switch self {
        case .environment(let name): return "env:\(name)"
        case .file(let path, let field): return "file:\(path)" + (field.map { ":\($0)" } ?? "")
        }
    }

    /// What examples show instead of the secret: `<NAME>` or `<file>`.
    var examplePlaceholder: String {
        switch self {
        case .environment(let name): return "<\(name)>"
        case .file: return "<file>"
        }
    }
}

/// The kind of credential and where it is put.
public enum AuthKind: String, Sendable, Equatable, CaseIterable {
    case none
    /// `Authorization: Bearer <key>` (header and prefix can be changed).
    case bearer
    /// `Authorization: Basic base64(<key>)`, where the key is `user:password`.
    case basic
    /// The key as is, in a header (default `X-API-Key`) or, with `param`, in the query.
    case apiKey = "api_key"
}

/// The `auth:` section.
public struct AuthDefinition: Sendable, Equatable {
    public var kind: AuthKind
    public var key: SecretSource?
    /// Header the credential goes in; nil uses the kind's default.
    public var header: String?
    /// Text before the credential (`Bearer`, `Basic`, `token`); nil uses the kind's default.
    public var prefix: String?
    /// Query parameter the credential goes in instead of a header.
    public var param: String?
    /// When true a call fails if the credential is missing; when false the request is sent without it.
    public var required: Bool

    public init(kind: AuthKind = .none, key: SecretSource? = nil, header: String? = nil, prefix: String? = nil,
                param: String? = nil, required: Bool = false) {
        self.kind = kind
        self.key = key
        self.header = header
        self.prefix = prefix
        self.param = param
        self.required = required
    }

    var effectiveHeader: String {
        header ?? (kind == .apiKey ? "X-API-Key" : "Authorization")
    }

    var effectivePrefix: String {
        if let prefix { return prefix }
        switch kind {
        case .bearer: return "Bearer"
        case .basic: return "Basic"
        case .apiKey, .none: return ""
        }
    }
}
