// prompts/list and prompts/get across every backend, prompt names namespaced like tools
// (`server__prompt`) and mapped back through the table built when listing.

import GatewayAuth
import GatewayBackends
import GatewayConfig
import GatewayGovernance
import MCPProtocol
import Synchronization

final class PromptMethods: Sendable {
    let pool: BackendPool
    let namespacer: ToolNamespacer
    /// server.limits.max_name_length: longer prompt names are refused before any lookup.
    let maxNameLength: Int
    private let table = Mutex<[String: (server: String, name: String)]>([:])

    init(pool: BackendPool, namespacer: ToolNamespacer, maxNameLength: Int = ServerLimits.defaultMaxNameLength) {
        self.pool = pool
        self.namespacer = namespacer
        self.maxNameLength = maxNameLength
    }

    /// Every backend's prompts `access` lets its principal see. Names are assigned over all
    /// prompts, so a prompt keeps its name whoever lists it.
    func list(visibleTo access: PrincipalAccess = .unrestricted) async -> JSONValue {
        let lists = await BackendLister(pool: pool, deadline: pool.discoveryWait)
            .collect(method: "prompts/list", key: "prompts", capability: "prompts")
        var pairs: [(server: String, item: JSONObject, name: String)] = []
        for (server, items) in lists {
            for case .object(let item) in items {
                if let name = item["name"]?.stringValue { pairs.append((server, item, name)) }
            }
        }
        let names = namespacer.assign(pairs.map { ($0.server, $0.name) })
        var mapping: [String: (server: String, name: String)] = [:]
        var prompts: [JSONValue] = []
        for (index, pair) in pairs.enumerated() {
            mapping[names[index]] = (pair.server, pair.name)
            guard access.isVisible(.prompt(server: pair.server, name: pair.name)) else { continue }
            var item = pair.item
            item["name"] = .string(names[index])
            prompts.append(.object(item))
        }
        table.withLock { $0 = mapping }
        return ["prompts": .array(prompts)]
    }

    func get(_ params: JSONValue, principal: Principal, pipeline: CallPipeline) async -> Result<RawJSON, JSONRPCErrorObject> {
        guard let name = params["name"]?.stringValue else {
            return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "prompts/get needs params.name"))
        }
        if let problem = NameLengthLimit.problem(name, what: "prompt name", limit: maxNameLength) {
            return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: problem))
        }
        var target = table.withLock { $0[name] }
        if target == nil {
            _ = await list()
            target = table.withLock { $0[name] }
        }
        guard let target, pool.backend(named: target.server) != nil else {
            return .failure(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "Unknown prompt: \(name)"))
        }
        var forwarded = params.objectValue ?? JSONObject()
        forwarded["name"] = .string(target.name)
        let call = BackendCall(server: target.server, operation: .prompt(target.name), principal: principal,
                               arguments: JSONWriter.encode(.object(forwarded)))
        switch await pipeline.run(call) {
        case .result(let result): return .success(result)
        case .backendError(let error): return .failure(error)
        case .failure(let error): return .failure(error.rpcError)
        case .refused(let refusal):
            // A hidden prompt answers exactly as one that does not exist.
            return .failure(refusal.isHidden
                ? JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "Unknown prompt: \(name)") : refusal.error)
        }
    }
}
