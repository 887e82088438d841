// `subscriptions/listen` (2026-07-28): an event stream that first acknowledges the honoured
// filter, then carries the opted-in list changes and resource updates, each tagged with
// the listen request's id. Keep-alive comments also reveal a vanished client.

import GatewayCore
import Hummingbird
import HTTPTypes
import MCPProtocol
import NIOCore
import ServiceLifecycle

struct ListenStream: Sendable {
    let gateway: Gateway

    func open(_ message: JSONRPCMessage) -> Response {
        let filter = ((try? message.paramsValue())?["notifications"]?.objectValue) ?? JSONObject()
        let wants: @Sendable (String) -> Bool = { key in filter[key]?.boolValue == true }
        let uris = filter["resourceSubscriptions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let subscriptionID = message.id?.json ?? .null
        var honoured = JSONObject()
        for key in ["toolsListChanged", "promptsListChanged", "resourcesListChanged"] where wants(key) { honoured[key] = true }
        if !uris.isEmpty { honoured["resourceSubscriptions"] = .array(uris.map { .string($0) }) }

        let (stream, sink) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let tag: @Sendable (String, JSONObject) -> [UInt8] = { method, params in
            var params = params
            params["_meta"] = [ModernEra.MetaKey.subscriptionID: subscriptionID]
            return ServerSentEvent.encodeMessage(JSONRPCEncoder.notification(method: method, params: .object(params)))
        }
        sink.yield(tag("notifications/subscriptions/acknowledged", JSONObject([("notifications", .object(honoured))])))

        let catalogListener = wants("toolsListChanged")
            ? gateway.catalog.addListener { _ in sink.yield(tag("notifications/tools/list_changed", JSONObject())) }
            : nil
        let hubListener = gateway.backendNotifications.subscribe { _, method, _ in
            if method == "notifications/prompts/list_changed" && wants("promptsListChanged")
                || method == "notifications/resources/list_changed" && wants("resourcesListChanged") {
                sink.yield(tag(method, JSONObject()))
            }
        }
        let subscriber = "listen-\(ClientSession.mintID())"
        let subscriptions = gateway.resourceSubscriptions
        subscriptions.register(subscriber: subscriber) { bytes in
            guard let update = try? JSONRPCMessage.decode(bytes), let params = (try? update.paramsValue())?.objectValue else { return }
            sink.yield(tag("notifications/resources/updated", params))
        }
        let catalog = gateway.catalog
        let hub = gateway.backendNotifications
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            for uri in uris { try? await subscriptions.subscribe(uri, subscriber: subscriber) }
            let keepAlive = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    sink.yield(ServerSentEvent.keepAlive)
                }
            }
            defer {
                keepAlive.cancel()
                if let catalogListener { catalog.removeListener(catalogListener) }
                hub.unsubscribe(hubListener)
                Task { await subscriptions.unregister(subscriber: subscriber) }
            }
            for await chunk in stream.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
