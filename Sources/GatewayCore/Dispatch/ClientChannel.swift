// The way back to the client behind a request: notifications for it, and requests the
// gateway relays to it (elicitation, sampling, roots) on behalf of a backend.

import GatewayAuth
import MCPProtocol

public protocol ClientChannel: Sendable {
    var context: ClientContext { get }
    /// Sends a notification related to the current request.
    func notify(_ message: [UInt8])
    /// Sends a request to the client and waits for its answer.
    func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject>
}

extension ClientChannel {
    /// Whether the client declared the capability a backend request needs.
    func supports(_ method: String) -> Bool {
        guard let capability = ClientCapability.required(for: method) else { return false }
        return context.capabilities?[capability] != nil
    }

    /// Whether any backend question (elicitation, sampling, roots) could be relayed to it.
    var answersQuestions: Bool { ClientCapability.answersQuestions(context) }
}

enum ClientCapability {
    static let all = ["elicitation", "sampling", "roots"]

    /// Whether a client declared any capability a backend question needs.
    static func answersQuestions(_ context: ClientContext) -> Bool {
        all.contains { context.capabilities?[$0] != nil }
    }

    static func required(for method: String) -> String? {
        switch method {
        case "elicitation/create": return "elicitation"
        case "sampling/createMessage": return "sampling"
        case "roots/list": return "roots"
        default: return nil
        }
    }
}

/// A channel for callers with no client behind them (tests, the CLI).
public struct DetachedClientChannel: ClientChannel {
    public let context: ClientContext
    public init(context: ClientContext = ClientContext(principal: .unauthenticated)) { self.context = context }
    public func notify(_ message: [UInt8]) {}
    public func request(method: String, params: RawJSON?) async -> Result<RawJSON, JSONRPCErrorObject> {
        .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.methodNotFound, message: "no client to ask"))
    }
}
