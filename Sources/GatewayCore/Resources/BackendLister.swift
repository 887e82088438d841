// Collects one list method (`resources/list`, `prompts/list`, …) from every backend that
// offers it, following `nextCursor`, with a per-backend deadline so one slow server never
// holds up the others.

import GatewayBackends
import MCPProtocol

struct BackendLister {
    let pool: BackendPool
    let deadline: Duration

    /// Items per backend, in configuration order; backends without the capability, or too
    /// slow, or failing, contribute nothing.
    func collect(method: String, key: String, capability: String) async -> [(server: String, items: [JSONValue])] {
        let backends = pool.backends.filter { $0.settings.enabled }
        let results = await withTaskGroup(of: (Int, [JSONValue]).self) { group in
            for (index, backend) in backends.enumerated() {
                group.addTask {
                    let work = Task { await Self.list(backend, method: method, key: key, capability: capability) }
                    return (index, await BoundedWait.value(of: work, within: deadline) ?? [])
                }
            }
            var collected: [Int: [JSONValue]] = [:]
            for await (index, items) in group { collected[index] = items }
            return collected
        }
        return backends.enumerated().map { ($1.name, results[$0] ?? []) }
    }

    static func list(_ backend: Backend, method: String, key: String, capability: String) async -> [JSONValue] {
        guard let session = try? await backend.liveSession(), session.declares(capability) else { return [] }
        var items: [JSONValue] = []
        var cursor: String?
        var seen: Set<String> = []
        for _ in 0..<200 {
            let params: [UInt8]? = cursor.map { JSONWriter.encode(["cursor": .string($0)]) }
            guard let reply = try? await backend.request(method: method, params: params?[...]),
                  let result = reply.result, let value = try? JSONParser.parse(result) else { break }
            items.append(contentsOf: value[key]?.arrayValue ?? [])
            guard let next = value["nextCursor"]?.stringValue, !next.isEmpty, seen.insert(next).inserted else { break }
            cursor = next
        }
        return items
    }
}
