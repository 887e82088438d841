// Maps a backend's progress notifications back to the client's own progress token.

import GatewayBackends
import MCPProtocol

enum ProgressRelay {
    static let tokenKey = [JSONScanner.Key("progressToken")]

    /// The client's `_meta.progressToken` in a request's params, if any.
    /// `members` are the params' top-level members, already scanned by the caller.
    /// Only the token is parsed: a 2026-07-28 `_meta` carries the whole envelope besides it.
    static func clientToken(in params: [UInt8], members: [JSONScanner.Member]) -> JSONValue? {
        guard let meta = members.first(where: { $0.key == "_meta" }),
              let range = (try? JSONScanner.values(of: tokenKey, in: params, range: meta.range))?.first ?? nil else { return nil }
        return token(in: params, at: range)
    }

    /// The token held in `bytes[range]`; a null token is none.
    static func token(in bytes: [UInt8], at range: Range<Int>) -> JSONValue? {
        guard let token = try? JSONParser.parse(bytes[range]), !token.isNull else { return nil }
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
