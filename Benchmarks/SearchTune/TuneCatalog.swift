// The catalog the gateway would build for a bench tools file: one backend per server with the
// description make_config.py gives it, then the capability starter pack as the gateway loads it.

import Foundation
import GatewayCapabilities
import GatewayConfig
import GatewayCore
import Logging
import MCPProtocol

struct TuneCatalog {
    var entries: [CatalogEntry] = []
    var servers: [(name: String, description: String)] = []

    static func load(toolsPath: String, starterPack: Bool) throws -> TuneCatalog {
        guard let data = FileManager.default.contents(atPath: toolsPath) else { throw ValidationFailure("cannot read \(toolsPath)") }
        guard let document = try JSONParser.parse(Array(data)).arrayValue else { throw ValidationFailure("\(toolsPath): not a list") }
        var catalog = TuneCatalog()
        for server in document {
            guard let name = server["server"]?.stringValue, let tools = server["tools"]?.arrayValue else { continue }
            catalog.servers.append((name, server["description"]?.stringValue ?? ""))
            for tool in tools {
                let bytes = JSONWriter.encode(tool)
                guard let definition = try ToolDefinition.parseTool(bytes, 0..<bytes.count) else { continue }
                catalog.entries.append(CatalogEntry(server: name, tool: definition))
            }
        }
        guard starterPack else { return catalog }
        var config = GatewayConfig()
        config.capabilities.enabled = true
        let capabilities = CapabilityCatalog(settings: CapabilitySettings(config: config), logger: Logger(label: "search-tune"))
        _ = capabilities.reload()
        catalog.servers.append((capabilities.serverName, Catalog.capabilitiesDescription))
        for (tool, isBuiltIn) in capabilities.toolsWithOrigin {
            catalog.entries.append(CatalogEntry(server: capabilities.serverName, tool: tool, isBuiltIn: isBuiltIn))
        }
        return catalog
    }
}

struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
