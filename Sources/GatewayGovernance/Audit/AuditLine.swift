// The trail's line format: one JSON object per line, members in a fixed order so lines read
// alike and `grep` works as well as `jq`. Values come from the gateway's own vocabulary (names,
// outcomes, sizes, a digest); argument values appear only under `arguments`, for the tools
// `audit.include_arguments` names, and result values never. Example:
//
// {"time":"2026-12-06T21:50:30.123Z","principal":"ci-bot","principal_method":"api_key",
//  "front_end":"streamable_http","era":"2025-11-25","method":"tools/call","server":"github",
//  "tool":"create_issue","outcome":"ok","duration_ms":41.207,"request_bytes":58,
//  "response_bytes":311,"arguments_sha256":"9f86d0…"}

import MCPProtocol

public enum AuditLine {
    /// The outcome names a line can carry.
    public static let outcomes = ["ok", "tool_error", "protocol_error", "failure", "timeout", "denied", "limited", "budget", "pinned"]

    /// The line for `event`, newline included.
    public static func encode(_ event: AuditEvent) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(400 + (event.includeArguments ? event.arguments.count : 0))
        member("time", first: true, &out)
        JSONWriter.writeString(AuditTimestamp.format(milliseconds: event.startedAtMilliseconds), into: &out)
        member("principal", &out)
        JSONWriter.writeString(event.principal.name, into: &out)
        member("principal_method", &out)
        JSONWriter.writeString(event.principal.method.rawValue, into: &out)
        member("front_end", &out)
        JSONWriter.writeString(event.frontEnd, into: &out)
        member("era", &out)
        JSONWriter.writeString(event.era, into: &out)
        member("method", &out)
        JSONWriter.writeString(event.method, into: &out)
        member("server", &out)
        JSONWriter.writeString(event.server, into: &out)
        switch event.target {
        case .tool(let name):
            member("tool", &out)
            JSONWriter.writeString(name, into: &out)
        case .uri(let uri):
            member("uri", &out)
            JSONWriter.writeString(uri, into: &out)
        case .prompt(let name):
            member("prompt", &out)
            JSONWriter.writeString(name, into: &out)
        case .none:
            break
        }
        member("outcome", &out)
        switch event.outcome {
        case .ok:
            JSONWriter.writeString("ok", into: &out)
        case .toolResult(let result):
            JSONWriter.writeString(isToolError(result) ? "tool_error" : "ok", into: &out)
        case .protocolError(let code):
            JSONWriter.writeString("protocol_error", into: &out)
            member("error_code", &out)
            out.append(contentsOf: String(code).utf8)
        case .failure(let kind):
            JSONWriter.writeString("failure", into: &out)
            member("failure", &out)
            JSONWriter.writeString(kind, into: &out)
        case .timeout:
            JSONWriter.writeString("timeout", into: &out)
        case .refused(let outcome, let rule):
            JSONWriter.writeString(outcome, into: &out)
            member("rule", &out)
            JSONWriter.writeString(rule, into: &out)
        }
        member("duration_ms", &out)
        out.append(contentsOf: milliseconds(event.durationNanoseconds).utf8)
        member("request_bytes", &out)
        out.append(contentsOf: String(event.requestBytes).utf8)
        member("response_bytes", &out)
        out.append(contentsOf: String(event.responseBytes).utf8)
        let canonical = CanonicalJSON.canonical(event.arguments)
        member("arguments_sha256", &out)
        JSONWriter.writeString(ArgumentDigest.sha256Hex(canonical: canonical, raw: event.arguments), into: &out)
        // The canonical form has no line breaks (they are escaped inside strings), so the line stays one line.
        if event.includeArguments, let canonical {
            member("arguments", &out)
            out.append(contentsOf: canonical)
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// Whether a tool result says `isError: true` at its top level.
    static func isToolError(_ result: [UInt8]) -> Bool {
        guard let members = try? JSONScanner.members(of: result),
              let flag = members.first(where: { $0.key == "isError" }) else { return false }
        return result[flag.range].elementsEqual("true".utf8)
    }

    /// `12.345`: milliseconds with microsecond resolution.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let micros = max(0, nanoseconds) / 1000
        let fraction = String(micros % 1000)
        return String(micros / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private static func member(_ key: StaticString, first: Bool = false, _ out: inout [UInt8]) {
        out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }
}
