// Fans the backends' own notifications (log messages and the like) out to whoever listens:
// the front ends forward them to their clients.

import MCPProtocol
import Synchronization

public final class BackendNotificationHub: Sendable {
    public typealias Listener = @Sendable (_ server: String, _ method: String, _ params: RawJSON?) -> Void
    private let listeners = Mutex<[UInt64: Listener]>([:])
    private let next = Atomic<UInt64>(1)

    public init() {}

    @discardableResult
    public func subscribe(_ listener: @escaping Listener) -> UInt64 {
        let id = next.wrappingAdd(1, ordering: .relaxed).oldValue
        listeners.withLock { $0[id] = listener }
        return id
    }

    public func unsubscribe(_ id: UInt64) {
        _ = listeners.withLock { $0.removeValue(forKey: id) }
    }

    func publish(server: String, method: String, params: RawJSON?) {
        for listener in listeners.withLock({ Array($0.values) }) { listener(server, method, params) }
    }

    /// What a client should receive for a backend notification that is not tied to one
    /// call: log messages (tagged with the backend) and prompt/resource list changes.
    public static func clientMessage(server: String, method: String, params: RawJSON?) -> [UInt8]? {
        switch method {
        case "notifications/message":
            return clientLogMessage(server: server, params: params)
        case "notifications/prompts/list_changed", "notifications/resources/list_changed":
            return JSONRPCEncoder.notification(method: method, params: nil as JSONValue?)
        default:
            return nil
        }
    }

    /// A backend log message as the client should see it: `logger` names the backend.
    public static func clientLogMessage(server: String, params: RawJSON?) -> [UInt8]? {
        guard var object = (try? params?.parsed())?.objectValue else { return nil }
        if object["logger"] == nil { object["logger"] = .string(server) }
        return JSONRPCEncoder.notification(method: "notifications/message", params: .object(object))
    }
}
