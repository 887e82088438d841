// A backend log message on its way to the client behind a call: filtered by that client's
// own level, tagged with the backend's name, sent through the call's channel (the call's
// reply stream, the session's stream, the connection).

import GatewayBackends
import MCPProtocol

enum BackendLogDelivery {
    /// The call's log handler; nil when the client gets no log messages.
    static func handler(for channel: any ClientChannel) -> LogHandler? {
        guard let level = channel.context.logLevel else { return nil }
        return { server, params in
            if let message = message(server: server, params: params, level: level) { channel.notify(message) }
        }
    }

    /// The notification the client should see, or nil when its level filters it out. `logger`
    /// names the backend unless the backend named one.
    static func message(server: String, params: RawJSON?, level: ClientLogLevel) -> [UInt8]? {
        guard let parsed = try? params?.parsed(), case .object(var object) = parsed, level.allows(parsed) else { return nil }
        if object["logger"] == nil { object["logger"] = .string(server) }
        return JSONRPCEncoder.notification(method: "notifications/message", params: .object(object))
    }
}
