// The request headers a POST /mcp is checked by, read once from either front path: the
// Hummingbird route (HTTPTypes fields) or the plain-JSON fast path below it (NIOHTTP1 headers),
// so both apply exactly the same rules.

import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOHTTP1

struct PostHeaders: Sendable {
    var origin: String?
    var host: String?
    var contentType: String?
    var accept: String?
    var contentLength: String?
    var sessionID: String?
    var protocolVersion: String?
    /// The 2026-07-28 routing headers, which must appear at most once.
    var mcpMethod = SingleHeader.absent
    var mcpName = SingleHeader.absent
    /// The client's W3C trace context (read by the fast path; the route reads it only when
    /// tracing is on, see IncomingTraceContext).
    var traceparent: String?
    var tracestate: String?

    init(_ request: Request) {
        let fields = request.headers
        origin = fields.value(.origin)
        host = request.head.authority
        contentType = fields.value(.contentType)
        accept = fields.value(.accept)
        contentLength = fields.value(.contentLength)
        sessionID = fields.value(.mcpSessionID)
        protocolVersion = fields.value(.mcpProtocolVersion)
        mcpMethod = fields.single(ModernHTTPEndpoint.mcpMethod)
        mcpName = fields.single(ModernHTTPEndpoint.mcpName)
    }

    /// Several fields of one name are joined with ", ", as HTTPFields does. One pass over the
    /// fields, names told apart by length first: this runs for every fast-path POST.
    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 4 where Self.named(name, "host"): Self.join(&host, value)
            case 8 where Self.named(name, "mcp-name"): Self.count(&mcpName, value)
            case 10 where Self.named(name, "mcp-method"): Self.count(&mcpMethod, value)
            case 10 where Self.named(name, "tracestate"): Self.join(&tracestate, value)
            case 11 where Self.named(name, "traceparent"): traceparent = value
            case 6 where Self.named(name, "origin"): Self.join(&origin, value)
            case 6 where Self.named(name, "accept"): Self.join(&accept, value)
            case 12 where Self.named(name, "content-type"): Self.join(&contentType, value)
            case 14 where Self.named(name, "content-length"): Self.join(&contentLength, value)
            case 14 where Self.named(name, "mcp-session-id"): Self.join(&sessionID, value)
            case 20 where Self.named(name, "mcp-protocol-version"): Self.join(&protocolVersion, value)
            default: break
            }
        }
    }

    /// The client's W3C trace context, when it sent a `traceparent`.
    var traceContext: TraceContextFields? {
        traceparent.map { TraceContextFields(traceparent: $0, tracestate: tracestate) }
    }

    private static func count(_ field: inout SingleHeader, _ value: String) {
        field = field == .absent ? .one(value) : .several
    }

    private static func join(_ field: inout String?, _ value: String) {
        field = field.map { $0 + ", " + value } ?? value
    }

    /// Whether `name` is `lowercase` (lowercase ASCII of the same length), ASCII case ignored.
    private static func named(_ name: String, _ lowercase: StaticString) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
            for index in 0..<bytes.count {
                let byte = bytes[index]
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if lowered != expected[index] { return false }
            }
            return true
        }
    }
}
