// What `/mcp/{backend}` does with the client messages it does not relay as requests. The
// backend session behind that endpoint is shared by every client, so a client message that
// reached it raw would act for everyone: a cancellation naming a sequential backend id would
// stop another client's call, a progress token could be read as another call's.

import GatewayCore
import MCPProtocol

enum DirectClientMessages {
    /// Notifications and responses. Only `notifications/cancelled` has an effect: it names the
    /// client's own request id and cancels that request, looked up among the requests of the
    /// client's own session (anything else, or no session, is dropped). Every other client
    /// notification is dropped: `initialized` (the gateway initialized the backend itself),
    /// `roots/list_changed` (the backend's roots are not one client's), `progress` (this
    /// endpoint relays no backend requests whose progress a client could report). Responses
    /// are dropped: this endpoint relays no backend requests to clients.
    static func handle(_ message: JSONRPCMessage, session: ClientSession?) {
        guard message.kind == .notification, message.method == "notifications/cancelled", let session else { return }
        session.inflight.cancel(params: try? message.paramsValue())
    }

    /// Requests the gateway answers itself instead of letting one client change the shared
    /// backend session for all: `logging/setLevel` (this endpoint delivers no log messages, so
    /// there is nothing to filter; the backend's level is the gateway's, set by /mcp clients)
    /// and resource subscriptions (the gateway's own on that session belong to /mcp clients,
    /// and this endpoint has no stream to carry updates).
    static func localAnswer(method: String, id: JSONRPCID?) -> [UInt8]? {
        switch method {
        case "logging/setLevel":
            return JSONRPCEncoder.result(id: id, result: Array("{}".utf8)[...])
        case "resources/subscribe", "resources/unsubscribe":
            return JSONRPCEncoder.error(id: id, code: JSONRPCErrorCode.methodNotFound,
                                        message: "\(method) is not available on /mcp/{backend}: subscribe through /mcp")
        default:
            return nil
        }
    }

    /// The params without a client's `_meta.progressToken`: the backend's progress is keyed by
    /// the gateway's own tokens, and this endpoint answers with one JSON reply (no progress).
    /// Only params that carry `_meta` are parsed.
    static func params(withoutProgressToken message: JSONRPCMessage) -> ArraySlice<UInt8>? {
        guard let params = message.params, message.paramsMembers.contains(where: { $0.key == "_meta" }),
              case .object(var object)? = try? JSONParser.parse(params),
              case .object(var meta)? = object["_meta"], meta["progressToken"] != nil else { return message.params }
        meta["progressToken"] = nil
        object["_meta"] = .object(meta)
        return JSONWriter.encode(.object(object))[...]
    }
}
