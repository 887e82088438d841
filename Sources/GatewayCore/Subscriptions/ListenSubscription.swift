// One `subscriptions/listen` (2026-07-28) of one client, whatever carries it: the
// acknowledgement of the honoured filter first, then the opted-in list changes and resource
// updates, each tagged with the listen request's id. The front end decides how messages
// travel (an SSE stream on HTTP, plain messages on stdio, WebSocket and legacy SSE).

import GatewayAuth
import GatewayBackends
import MCPProtocol
import Synchronization

public final class ListenSubscription: Sendable {
    let gateway: Gateway
    let subscriptionID: JSONValue
    let uris: [String]
    let subscriber: String
    let principal: Principal
    let origin: CallOrigin
    private let registrations = Mutex<(catalog: UInt64?, hub: UInt64?, open: Bool)>((nil, nil, true))

    /// Registers at once and sends the acknowledgement through `sink` before any event.
    public init(gateway: Gateway, request: JSONRPCMessage, subscriber: String, principal: Principal,
                origin: CallOrigin = .unknown, sink: @escaping @Sendable (_ notification: [UInt8]) -> Void) {
        self.origin = origin
        self.gateway = gateway
        self.subscriber = subscriber
        self.principal = principal
        let filter = ((try? request.paramsValue())?["notifications"]?.objectValue) ?? JSONObject()
        let wants: @Sendable (String) -> Bool = { key in filter[key]?.boolValue == true }
        uris = filter["resourceSubscriptions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let subscriptionID = request.id?.json ?? .null
        self.subscriptionID = subscriptionID
        var honoured = JSONObject()
        for key in ["toolsListChanged", "promptsListChanged", "resourcesListChanged"] where wants(key) { honoured[key] = true }
        if !uris.isEmpty { honoured["resourceSubscriptions"] = .array(uris.map { .string($0) }) }

        let tag: @Sendable (String, JSONObject) -> [UInt8] = { method, params in
            var params = params
            params["_meta"] = [ModernEra.MetaKey.subscriptionID: subscriptionID]
            return JSONRPCEncoder.notification(method: method, params: .object(params))
        }
        sink(tag("notifications/subscriptions/acknowledged", JSONObject([("notifications", .object(honoured))])))
        let catalogListener = wants("toolsListChanged")
            ? gateway.catalog.addListener { _ in sink(tag("notifications/tools/list_changed", JSONObject())) }
            : nil
        let hubListener = gateway.backendNotifications.subscribe { _, method, _ in
            if method == "notifications/prompts/list_changed" && wants("promptsListChanged")
                || method == "notifications/resources/list_changed" && wants("resourcesListChanged") {
                sink(tag(method, JSONObject()))
            }
        }
        registrations.withLock { $0 = (catalogListener, hubListener, true) }
        gateway.resourceSubscriptions.register(subscriber: subscriber) { bytes in
            guard let update = try? JSONRPCMessage.decode(bytes), let params = (try? update.paramsValue())?.objectValue else { return }
            sink(tag("notifications/resources/updated", params))
        }
    }

    /// Subscribes the filter's resources upstream (the backends are asked once per resource),
    /// each through the call pipeline as a `resources/subscribe` would go.
    public func subscribeResources() async {
        let dispatcher = gateway.dispatcher
        for uri in uris {
            _ = await dispatcher.resources.subscribe(["uri": .string(uri)], subscriber: subscriber, unsubscribe: false,
                                                     principal: principal, pipeline: dispatcher.pipeline, origin: origin)
        }
    }

    /// The result that ends a listen gracefully (the server closes it, e.g. at shutdown).
    public func finalResult(id: JSONRPCID?) -> [UInt8] {
        JSONRPCEncoder.result(id: id, result: ["resultType": "complete", "_meta": [ModernEra.MetaKey.subscriptionID: subscriptionID]])
    }

    /// Stops every delivery and releases upstream resource subscriptions. Idempotent.
    public func close() async {
        let taken = registrations.withLock { state -> (UInt64?, UInt64?)? in
            guard state.open else { return nil }
            defer { state = (nil, nil, false) }
            return (state.catalog, state.hub)
        }
        guard let (catalogListener, hubListener) = taken else { return }
        if let catalogListener { gateway.catalog.removeListener(catalogListener) }
        if let hubListener { gateway.backendNotifications.unsubscribe(hubListener) }
        // Unstructured: the caller may be a cancelled task, and the release must reach the backends.
        let (subscriptions, subscriber) = (gateway.resourceSubscriptions, subscriber)
        await Task { await subscriptions.unregister(subscriber: subscriber) }.value
    }
}
