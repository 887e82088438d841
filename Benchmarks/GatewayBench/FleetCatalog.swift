// The flat tools/list a client would load from a real fleet without a gateway: every tool
// object from the fleet's tools.json as a server would send it (compact JSON, no nulls).

import Foundation
import MCPProtocol

struct FleetCatalog {
    let toolCount: Int
    let serverCount: Int
    /// Sum of the compact JSON bytes of every tool's {name, description, inputSchema}: the
    /// fleet's own token estimate counts these, so this is the conservative figure.
    let flatBytes: Int
    /// The same with every non-null field a server sends (title, outputSchema, annotations too).
    let wireBytes: Int

    static let coreFields: Set<String> = ["name", "description", "inputSchema"]
    /// Fields of a tool as listed on the wire; tools.json adds `server`, which is not.
    static let wireFields: Set<String> = ["name", "title", "description", "inputSchema", "outputSchema", "annotations", "_meta", "icons"]

    static func load(path: String) throws -> FleetCatalog {
        guard let data = FileManager.default.contents(atPath: path) else { throw BenchFailure("cannot read \(path)") }
        let document = try JSONParser.parse(Array(data))
        guard let tools = document["tools"]?.arrayValue else { throw BenchFailure("\(path) has no \"tools\" array") }
        var core = 0
        var wire = 0
        var servers: Set<String> = []
        for tool in tools {
            guard let object = tool.objectValue else { continue }
            if let server = object["server"]?.stringValue { servers.insert(server) }
            core += encodedSize(object, keeping: coreFields)
            wire += encodedSize(object, keeping: wireFields)
        }
        return FleetCatalog(toolCount: tools.count, serverCount: servers.count, flatBytes: core, wireBytes: wire)
    }

    static func encodedSize(_ object: JSONObject, keeping fields: Set<String>) -> Int {
        let kept = object.members.filter { fields.contains($0.key) && !$0.value.isNull }
        return JSONWriter.encode(.object(JSONObject(kept.map { ($0.key, $0.value) }))).count
    }
}
