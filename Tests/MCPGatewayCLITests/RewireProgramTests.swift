// The program `import --rewire` writes into a client's file: always an absolute path, since the
// client starts it from its own working directory with its own PATH.

import Testing
@testable import MCPGatewayCLI

@Suite struct RewireProgramTests {
    @Test func aBareNameIsFoundOnThePath() {
        let found = ImportRewiring.absolute("mcp-gateway", path: "/nope:/usr/local/bin:/usr/bin", cwd: "/home/me",
                                            isExecutable: { $0 == "/usr/local/bin/mcp-gateway" })
        #expect(found == "/usr/local/bin/mcp-gateway")
    }

    @Test func aRelativePathIsTakenFromTheWorkingDirectory() {
        #expect(ImportRewiring.absolute("./.build/release/mcp-gateway", path: "", cwd: "/src/gw") == "/src/gw/.build/release/mcp-gateway")
        #expect(ImportRewiring.absolute("/opt/mcp-gateway", path: "", cwd: "/x") == "/opt/mcp-gateway")
    }

    @Test func theOwnExecutableIsAbsolute() {
        #expect(ImportRewiring.program(nil).hasPrefix("/"))
        #expect(ImportRewiring.program("/custom/gw") == "/custom/gw")
    }
}
