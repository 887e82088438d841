// Maps a backend's progress notifications back to the client's own progress token.

import GatewayBackends
import MCPProtocol

enum ProgressRelay {
    /// The client's `_meta.progressToken` in a request's params, if any.
    static func clientToken(in params: [UInt8]) -> JSONValue? {
        guard let members = try? JSONScanner.members(of: params),
              let meta = members.first(where: { $0.key == "_meta" }),
              let value = try? JSONParser.parse(params[meta.range]) else { return nil }
        guard let token = value["progressToken"], !token.isNull else { return nil }
        return token
    }

    static func handler(token: JSONValue?, notify: @escaping NotificationSink) -> ProgressHandler? {
        guard let token else { return nil }
        return { params in
            guard var object = params.objectValue else { return }
            object["progressToken"] = token
            notify(JSONRPCEncoder.notification(method: "notifications/progress", params: .object(object)))
        }
    }
}
