// `mcp-gateway config export`'s arguments: a path, the format (yaml or json, any case) and
// --with-secrets; another format is refused before anything is loaded.

import ArgumentParser
import Testing
@testable import MCPGatewayCLI

@Suite struct ConfigExportCommandTests {
    @Test func theArgumentsParse() throws {
        let chosen = try ConfigCommand.Export.parse(["gateway.yaml", "--format", "JSON", "--with-secrets"])
        #expect(chosen.path == "gateway.yaml" && chosen.format == "JSON" && chosen.withSecrets)
        let defaults = try ConfigCommand.Export.parse([])
        #expect(defaults.path == nil && defaults.format == "yaml" && !defaults.withSecrets)
        #expect(throws: (any Error).self) { try ConfigCommand.Export.parse(["--format", "xml"]) }
    }
}
