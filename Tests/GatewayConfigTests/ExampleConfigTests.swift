// The example configuration shipped in examples/ must load without errors or warnings.

import Foundation
import Testing
@testable import GatewayConfig

@Suite struct ExampleConfigTests {
    @Test func exampleGatewayYamlLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("examples/gateway.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let result = ConfigLoader.parse(yaml: text, file: path, environment: ["HOME": "/home/u"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.backends.map(\.name) == ["time", "git", "fetch"])
        #expect(config.metaMCP.surfacedTools == [SurfacedTool(server: "time", tool: "get_current_time")])
        #expect(config.server.maxBodySize == 10 * 1024 * 1024)
        #expect(config.server.limits == ServerLimits())  // the example spells out the defaults
        if case .stdio(let argv) = config.backends[1].transport {
            #expect(argv == ["mcp-server-git", "--repository", "."])
        } else {
            Issue.record("git should be a stdio backend")
        }
    }
}
