// One `examples:` entry: sample arguments and the HTTP request they must produce. `cap test` and the
// test suite build the request without sending it and compare.

import MCPProtocol

/// Sample arguments and the expected request.
public struct CapabilityExample: Sendable, Equatable {
    public var description: String?
    public var arguments: JSONValue
    /// Expected method; nil is not checked.
    public var method: String?
    /// Expected full URL (query included, as encoded).
    public var url: String?
    /// Headers that must be present with these values (names compared case-insensitively); others may be too.
    public var headers: [(name: String, value: String)]
    /// Expected body: compared as JSON when it is JSON, else as text.
    public var body: JSONValue?
    /// Line of the entry in its file.
    public var line: Int

    public init(description: String? = nil, arguments: JSONValue, method: String? = nil, url: String? = nil,
                headers: [(name: String, value: String)] = [], body: JSONValue? = nil, line: Int = 1) {
        self.description = description
        self.arguments = arguments
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.line = line
    }

    public static func == (lhs: CapabilityExample, rhs: CapabilityExample) -> Bool {
        lhs.description == rhs.description && lhs.arguments == rhs.arguments && lhs.method == rhs.method
            && lhs.url == rhs.url && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value) && lhs.body == rhs.body && lhs.line == rhs.line
    }
}
