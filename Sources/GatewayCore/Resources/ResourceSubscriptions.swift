// Who is subscribed to which resource. Backend subscriptions are reference-counted: the
// first client subscribing to a URI subscribes upstream, the last one leaving unsubscribes.
// The gateway's own resources (`gateway://`, the webhook endpoints) have no upstream: their
// updates come from the gateway itself (`deliverLocalUpdate`).

import GatewayBackends
import MCPProtocol
import Synchronization

public final class ResourceSubscriptions: Sendable {
    private let state = Mutex<State>(State())
    let pool: BackendPool

    struct State {
        /// Gateway URI -> subscriber ids.
        var subscribers: [String: Set<String>] = [:]
        /// Subscriber id -> where its notifications go.
        var sinks: [String: @Sendable ([UInt8]) -> Void] = [:]
    }

    init(pool: BackendPool) {
        self.pool = pool
    }

    /// A client session that can receive `notifications/resources/updated`.
    public func register(subscriber: String, sink: @escaping @Sendable ([UInt8]) -> Void) {
        state.withLock { $0.sinks[subscriber] = sink }
    }

    /// Forgets a session and releases its upstream subscriptions.
    public func unregister(subscriber: String) async {
        let released = state.withLock { state -> [String] in
            state.sinks[subscriber] = nil
            var emptied: [String] = []
            for (uri, var set) in state.subscribers where set.contains(subscriber) {
                set.remove(subscriber)
                state.subscribers[uri] = set.isEmpty ? nil : set
                if set.isEmpty { emptied.append(uri) }
            }
            return emptied
        }
        for uri in released where !Self.isGatewayOwned(uri) { await upstream("resources/unsubscribe", gatewayURI: uri) }
    }

    public func subscribe(_ gatewayURI: String, subscriber: String) async throws(BackendError) {
        let first = state.withLock { state -> Bool in
            let wasEmpty = state.subscribers[gatewayURI, default: []].isEmpty
            state.subscribers[gatewayURI, default: []].insert(subscriber)
            return wasEmpty
        }
        if first, !Self.isGatewayOwned(gatewayURI) {
            do {
                try await upstreamChecked("resources/subscribe", gatewayURI: gatewayURI)
            } catch {
                _ = state.withLock { $0.subscribers[gatewayURI]?.remove(subscriber) }
                throw error
            }
        }
    }

    func unsubscribe(_ gatewayURI: String, subscriber: String) async {
        let last = state.withLock { state -> Bool in
            guard var set = state.subscribers[gatewayURI], set.remove(subscriber) != nil else { return false }
            state.subscribers[gatewayURI] = set.isEmpty ? nil : set
            return set.isEmpty
        }
        if last, !Self.isGatewayOwned(gatewayURI) { await upstream("resources/unsubscribe", gatewayURI: gatewayURI) }
    }

    private func upstream(_ method: String, gatewayURI: String) async {
        try? await upstreamChecked(method, gatewayURI: gatewayURI)
    }

    private func upstreamChecked(_ method: String, gatewayURI: String) async throws(BackendError) {
        guard let (server, original) = ResourceURIMapper.resolve(gatewayURI),
              let backend = pool.backend(named: server) else { throw .unreachable("unknown resource \(gatewayURI)") }
        let reply = try await backend.request(method: method, params: JSONWriter.encode(["uri": .string(original)])[...])
        if let error = reply.errorValue(), reply.kind == .errorResponse { throw .remote(error) }
    }

    /// Resources the gateway serves itself, with no backend behind them.
    static func isGatewayOwned(_ uri: String) -> Bool { uri.hasPrefix("gateway://") }

    /// One of the gateway's own resources changed: its subscribers are told.
    func deliverLocalUpdate(uri: String) {
        let message = JSONRPCEncoder.notification(method: "notifications/resources/updated", params: ["uri": .string(uri)])
        let sinks = state.withLock { state in (state.subscribers[uri] ?? []).compactMap { state.sinks[$0] } }
        sinks.forEach { $0(message) }
    }

    /// A backend's `notifications/resources/updated`: delivered to that URI's subscribers.
    func deliverUpdate(server: String, params: RawJSON?) {
        guard var object = (try? params?.parsed())?.objectValue, let original = object["uri"]?.stringValue else { return }
        let uri = ResourceURIMapper.gatewayURI(server: server, original: original)
        object["uri"] = .string(uri)
        let message = JSONRPCEncoder.notification(method: "notifications/resources/updated", params: .object(object))
        let sinks = state.withLock { state in (state.subscribers[uri] ?? []).compactMap { state.sinks[$0] } }
        sinks.forEach { $0(message) }
    }
}
