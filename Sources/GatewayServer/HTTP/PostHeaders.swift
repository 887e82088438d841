// The request headers a POST /mcp is checked by, read once from either front path: the
// Hummingbird route (HTTPTypes fields) or the plain-JSON fast path below it (NIOHTTP1 headers),
// so both apply exactly the same rules.

import Hummingbird
import HTTPTypes
import NIOHTTP1

struct PostHeaders: Sendable {
    var origin: String?
    var host: String?
    var contentType: String?
    var accept: String?
    var contentLength: String?
    var sessionID: String?
    var protocolVersion: String?

    init(_ request: Request) {
        let fields = request.headers
        origin = fields.value(.origin)
        host = request.head.authority
        contentType = fields.value(.contentType)
        accept = fields.value(.accept)
        contentLength = fields.value(.contentLength)
        sessionID = fields.value(.mcpSessionID)
        protocolVersion = fields.value(.mcpProtocolVersion)
    }

    /// Several fields of one name are joined with ", ", as HTTPFields does.
    init(_ headers: HTTPHeaders) {
        func value(_ name: String) -> String? {
            var found: String?
            for (fieldName, fieldValue) in headers where fieldName.utf8.count == name.utf8.count
                && fieldName.caseInsensitiveEquals(name) {
                found = found.map { $0 + ", " + fieldValue } ?? fieldValue
            }
            return found
        }
        origin = value("origin")
        host = value("host")
        contentType = value("content-type")
        accept = value("accept")
        contentLength = value("content-length")
        sessionID = value("mcp-session-id")
        protocolVersion = value("mcp-protocol-version")
    }
}

extension String {
    /// ASCII case-insensitive equality with a lowercase ASCII `other`.
    fileprivate func caseInsensitiveEquals(_ other: String) -> Bool {
        zip(utf8, other.utf8).allSatisfy { a, b in a == b || (a >= 65 && a <= 90 && a + 32 == b) }
    }
}
