// Fans the backends' own notifications that concern every client (prompt and resource list
// changes, resource updates) out to whoever listens: the front ends forward them to their
// clients. Log messages never come here: they go to the clients of the backend's calls
// (RPCConnection.logAudience, BackendLogDelivery).

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

    /// What every client should receive for a backend notification that is not tied to one
    /// call: prompt/resource list changes.
    public static func clientMessage(server: String, method: String, params: RawJSON?) -> [UInt8]? {
        switch method {
        case "notifications/prompts/list_changed", "notifications/resources/list_changed":
            return JSONRPCEncoder.notification(method: method, params: nil as JSONValue?)
        default:
            return nil
        }
    }
}
