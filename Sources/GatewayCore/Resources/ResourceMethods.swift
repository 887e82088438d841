// resources/list, resources/templates/list, resources/read and (un)subscribe across every
// backend, under gateway URIs that map back to the owning backend, and the gateway's own
// webhook resources (`gateway://webhooks/{id}`, server `webhooks` to access rules). Reads and
// subscriptions pass the call pipeline like tool calls, so a policy stage sees them too; a
// webhook resource's ends in the gateway instead of a backend.

import GatewayAuth
import GatewayBackends
import GatewayConfig
import GatewayGovernance
import MCPProtocol

struct ResourceMethods {
    let pool: BackendPool
    let subscriptions: ResourceSubscriptions
    let webhooks: WebhookInbox?

    /// Every backend's resources `access` lets its principal see.
    func list(visibleTo access: PrincipalAccess) async -> JSONValue {
        let lists = await BackendLister(pool: pool, deadline: pool.discoveryWait)
            .collect(method: "resources/list", key: "resources", capability: "resources")
        var resources: [JSONValue] = []
        for (server, items) in lists {
            for case .object(var item) in items {
                guard let uri = item["uri"]?.stringValue, access.isVisible(.resource(server: server, uri: uri)) else { continue }
                item["uri"] = .string(ResourceURIMapper.gatewayURI(server: server, original: uri))
                resources.append(.object(item))
            }
        }
        for item in webhooks?.resources() ?? [] {
            guard let uri = item["uri"]?.stringValue, access.isVisible(.resource(server: WebhooksSettings.serverName, uri: uri)) else { continue }
            resources.append(item)
        }
        return ["resources": .array(resources)]
    }

    /// Templates are matched as written (`server:uriTemplate`) against the resource globs.
    func templates(visibleTo access: PrincipalAccess) async -> JSONValue {
        let lists = await BackendLister(pool: pool, deadline: pool.discoveryWait)
            .collect(method: "resources/templates/list", key: "resourceTemplates", capability: "resources")
        var templates: [JSONValue] = []
        for (server, items) in lists {
            for case .object(var item) in items {
                guard let template = item["uriTemplate"]?.stringValue,
                      access.isVisible(.resource(server: server, uri: template)) else { continue }
                item["uriTemplate"] = .string(ResourceURIMapper.gatewayTemplate(server: server, original: template))
                templates.append(.object(item))
            }
        }
        return ["resourceTemplates": .array(templates)]
    }

    /// Returns the result, or a JSON-RPC error for an unknown or failing resource.
    func read(_ params: JSONValue, principal: Principal, pipeline: CallPipeline,
              origin: CallOrigin = .unknown) async -> Result<JSONValue, JSONRPCErrorObject> {
        guard let uri = params["uri"]?.stringValue else {
            return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "resources/read needs params.uri"))
        }
        if let webhooks, let id = webhooks.endpointID(ofURI: uri) {
            return await webhookRead(uri, id: id, webhooks, principal: principal, pipeline: pipeline, origin: origin)
        }
        guard let (server, original) = ResourceURIMapper.resolve(uri), pool.backend(named: server) != nil else {
            return .failure(Self.unknownResource(uri))
        }
        var forwarded = params.objectValue ?? JSONObject()
        forwarded["uri"] = .string(original)
        let call = BackendCall(server: server, operation: .resourceRead(uri: original), principal: principal,
                               arguments: JSONWriter.encode(.object(forwarded)), origin: origin)
        switch await pipeline.run(call) {
        case .result(let result):
            guard var value = (try? result.parsed())?.objectValue else {
                return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.internalError, message: "empty result"))
            }
            if let contents = value["contents"]?.arrayValue {
                value["contents"] = .array(contents.map { content in
                    guard case .object(var object) = content, let inner = object["uri"]?.stringValue else { return content }
                    object["uri"] = .string(ResourceURIMapper.gatewayURI(server: server, original: inner))
                    return .object(object)
                })
            }
            return .success(.object(value))
        case .backendError(let error): return .failure(error)
        case .failure(let error): return .failure(error.rpcError)
        case .refused(let refusal): return .failure(refusal.isHidden ? Self.unknownResource(uri) : refusal.error)
        }
    }

    func subscribe(_ params: JSONValue, subscriber: String?, unsubscribe: Bool, principal: Principal,
                   pipeline: CallPipeline, origin: CallOrigin = .unknown) async -> Result<JSONValue, JSONRPCErrorObject> {
        var target = params["uri"]?.stringValue.flatMap(ResourceURIMapper.resolve)
        if let uri = params["uri"]?.stringValue, webhooks?.endpointID(ofURI: uri) != nil {
            target = (WebhooksSettings.serverName, uri)
        }
        guard let uri = params["uri"]?.stringValue, let (server, original) = target else {
            return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "params.uri must be a gateway resource URI"))
        }
        guard let subscriber else {
            return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidRequest, message: "subscriptions need a session"))
        }
        // Each client's (un)subscribe passes the pipeline, though the backend hears only of the
        // first subscriber and the last to leave: the subscription is shared.
        let call = BackendCall(server: server, operation: .resourceSubscription(uri: original, subscribe: !unsubscribe),
                               principal: principal, arguments: JSONWriter.encode(["uri": .string(original)]), origin: origin)
        let subscriptions = self.subscriptions
        let outcome = await pipeline.run(call) { _ in
            if unsubscribe {
                await subscriptions.unsubscribe(uri, subscriber: subscriber)
                return .result(RawJSON.emptyObject)
            }
            do throws(BackendError) {
                try await subscriptions.subscribe(uri, subscriber: subscriber)
                return .result(RawJSON.emptyObject)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .result: return .success(.object(JSONObject()))
        case .backendError(let error): return .failure(error)
        case .failure(let error): return .failure(error.rpcError)
        case .refused(let refusal): return .failure(refusal.isHidden ? Self.unknownResource(uri) : refusal.error)
        }
    }

    /// A webhook endpoint's latest events, through the pipeline (scopes, audit) to the inbox.
    private func webhookRead(_ uri: String, id: String, _ webhooks: WebhookInbox, principal: Principal, pipeline: CallPipeline,
                             origin: CallOrigin) async -> Result<JSONValue, JSONRPCErrorObject> {
        let call = BackendCall(server: WebhooksSettings.serverName, operation: .resourceRead(uri: uri), principal: principal,
                               arguments: JSONWriter.encode(["uri": .string(uri)]), origin: origin)
        let outcome = await pipeline.run(call) { _ in
            guard let result = webhooks.read(id: id) else { return .backendError(Self.unknownResource(uri)) }
            return .result(RawJSON(JSONWriter.encode(result)))
        }
        switch outcome {
        case .result(let result): return (try? result.parsed()).map { .success($0) } ?? .failure(Self.unknownResource(uri))
        case .backendError(let error): return .failure(error)
        case .failure(let error): return .failure(error.rpcError)
        case .refused(let refusal): return .failure(refusal.isHidden ? Self.unknownResource(uri) : refusal.error)
        }
    }

    /// The answer for a URI no backend serves, and for one this caller may not see.
    static func unknownResource(_ uri: String) -> JSONRPCErrorObject {
        JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams,
                           message: "Unknown resource: \(uri) (gateway resource URIs start with \(ResourceURIMapper.scheme)://SERVER/)")
    }
}
