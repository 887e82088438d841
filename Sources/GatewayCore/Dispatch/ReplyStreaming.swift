// How a front end can run a session-era request (2024-11-05 … 2025-11-25). Only progress under
// the client's own token, or a backend's question (elicitation, sampling, roots) relayed
// during a tool call to a client that declared the capability, ever needs the request's event
// stream; every other request has only its reply to send, plain JSON. Of those, the ones
// answered from the gateway's own catalog never wait on a backend's work, so a cancellation
// has nothing to stop and they can run on the front end's own task.

import MCPProtocol

public enum ReplyStreaming {
    public static func mayStream(_ message: JSONRPCMessage, context: ClientContext) -> Bool {
        let members = message.paramsMembers
        if ProgressRelay.clientToken(in: message.bytes, members: members) != nil { return true }
        guard message.method == "tools/call" else { return false }
        return ClientCapability.answersQuestions(context)
    }
}

extension ReplyStreaming {
    /// Whether the request is answered from the catalog alone: `ping`, or a tool search
    /// (a meta-tool only while the meta-tools are on; otherwise the name is a backend's).
    static func answersFromCatalog(_ message: JSONRPCMessage, metaTools: Bool) -> Bool {
        switch message.method {
        case "ping":
            return true
        case "tools/call":
            guard metaTools, let name = message.paramsMembers.first(where: { $0.key == "name" }) else { return false }
            return JSONScanner.string(in: message.bytes, range: name.range) == MetaToolName.searchTools
        default:
            return false
        }
    }
}

extension MCPDispatcher {
    public func answersFromCatalog(_ message: JSONRPCMessage) -> Bool {
        ReplyStreaming.answersFromCatalog(message, metaTools: metaToolsEnabled)
    }
}
