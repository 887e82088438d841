// One audited operation as the call path captures it: plain values and references only (the
// principal, the argument and result bytes are shared, not copied). Everything that costs —
// the canonical form and digest of the arguments, the `isError` check of a tool result, the
// JSON line — is done later by the trail's writer, off the call path.

import GatewayAuth

public struct AuditEvent: Sendable {
    /// What the operation was on.
    public enum Target: Sendable, Equatable {
        case tool(String)
        case uri(String)
        case prompt(String)
        /// A method `/mcp/{backend}` relays as it is (a listing, `completion/complete`...).
        case none
    }

    public enum Outcome: Sendable, Equatable {
        /// A result (resource contents, a prompt, a listing).
        case ok
        /// A tool's result: `ok`, or `tool_error` when it says `isError: true` (read by the writer).
        case toolResult([UInt8])
        /// The backend answered with a JSON-RPC error.
        case protocolError(code: Int)
        /// The backend could not be reached or failed; `kind` is a fixed word, never the detail
        /// (which may hold a URL or a backend's message).
        case failure(kind: String)
        /// The backend did not answer in time.
        case timeout
        /// A governance stage refused it: `outcome` is `denied`, `limited`, `budget` or `pinned`;
        /// `rule` names the rule or limit.
        case refused(outcome: String, rule: String)
    }

    /// Wall-clock start of the operation, milliseconds since 1970 (UTC).
    public var startedAtMilliseconds: Int64
    public var principal: Principal
    /// `streamable_http`, `sse`, `websocket`, `stdio` or `direct` (`/mcp/{backend}`).
    public var frontEnd: String
    /// The protocol version the client speaks.
    public var era: String
    public var method: String
    public var server: String
    public var target: Target
    public var outcome: Outcome
    public var durationNanoseconds: Int64
    /// Bytes of the arguments (a tool call) or params (anything else) the backend was sent.
    public var requestBytes: Int
    /// Bytes of the result, or of the error, that came back; 0 when nothing did.
    public var responseBytes: Int
    /// The arguments (or params) as sent, digested by the writer.
    public var arguments: [UInt8]
    /// Whether the line carries `arguments` in full (`audit.include_arguments`).
    public var includeArguments: Bool

    public init(startedAtMilliseconds: Int64, principal: Principal, frontEnd: String, era: String, method: String,
                server: String, target: Target, outcome: Outcome, durationNanoseconds: Int64, requestBytes: Int,
                responseBytes: Int, arguments: [UInt8], includeArguments: Bool) {
        self.startedAtMilliseconds = startedAtMilliseconds
        self.principal = principal
        self.frontEnd = frontEnd
        self.era = era
        self.method = method
        self.server = server
        self.target = target
        self.outcome = outcome
        self.durationNanoseconds = durationNanoseconds
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.arguments = arguments
        self.includeArguments = includeArguments
    }

    /// Bytes this event keeps alive while it waits in the buffer.
    var retainedBytes: Int {
        var total = arguments.count
        if case .toolResult(let result) = outcome { total += result.count }
        return total
    }
}
