// The built-in default and what an empty or comment-only file means.

import Testing
@testable import GatewayConfig

@Suite struct DefaultsTests {
    @Test func builtinDefaultValues() {
        let config = GatewayConfig.builtinDefault
        #expect(config.server.host == "127.0.0.1")
        #expect(config.server.port == 39400)
        #expect(config.server.requestTimeout == .seconds(30))
        #expect(config.server.shutdownTimeout == .seconds(30))
        #expect(config.server.maxBodySize == 10_485_760)
        #expect(config.server.allowedOrigins.isEmpty)
        #expect(config.metaMCP.enabled)
        #expect(config.metaMCP.cacheTTL == .seconds(300))
        #expect(config.metaMCP.discoveryWait == .seconds(5))
        #expect(config.metaMCP.surfacedTools.isEmpty)
        #expect(config.metaMCP.warmStart.isEmpty)
        #expect(config.backends.isEmpty)
        #expect(config.sourcePath == nil)
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "# a\n   # b\n", "---\n", "~\n"])
    func emptyFileIsDefaultConfig(_ text: String) {
        let result = parse(text)
        #expect(result.diagnostics.isEmpty)
        var expected = GatewayConfig.builtinDefault
        expected.sourcePath = "gateway.yaml"
        #expect(result.config == expected)
    }

    @Test func emptySectionsKeepDefaults() {
        let result = parse("server:\nmeta_mcp:\nbackends:\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.config?.server == ServerSettings())
        #expect(result.config?.metaMCP == MetaMCPSettings())
        #expect(result.config?.backends == [])
    }

    @Test func nullValueMeansDefault() {
        let result = parse("server:\n  port: ~\n  host:\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.config?.server.port == 39400)
        #expect(result.config?.server.host == "127.0.0.1")
    }

    @Test func warmStartStarMeansAll() {
        let settings = MetaMCPSettings(warmStart: ["*"])
        #expect(settings.warmStarts(backend: "anything"))
        #expect(!MetaMCPSettings(warmStart: ["a"]).warmStarts(backend: "b"))
    }
}
