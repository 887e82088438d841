// The HTTP request a capability call turns into, before it is sent: what examples are checked against
// and what the executor sends. It remembers the secret values it carries so that no message, log line
// or echoed response can show them.

/// A fully built request.
public struct PreparedRequest: Sendable, Equatable {
    public var method: String
    /// Absolute URL with the query, every value encoded.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Secret values placed into this request (credentials, `{env.NAME}` values).
    var secrets: [String] = [] {
        didSet { secretForms = SecretRedaction.forms(of: secrets) }
    }
    /// The secrets and their encoded copies, computed once per request for every message redacted.
    private(set) var secretForms: [String] = []

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String? { body.map { String(decoding: $0, as: UTF8.self) } }

    /// `text` with every secret of this request, and its percent-encoded, JSON-escaped and base64 copies,
    /// replaced by `[secret]`.
    func redacting(_ text: String) -> String {
        var result = text
        for form in secretForms where result.contains(form) {
            result = result.replacing(form, with: "[secret]")
        }
        return result
    }

    public static func == (lhs: PreparedRequest, rhs: PreparedRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value) && lhs.body == rhs.body
    }
}
