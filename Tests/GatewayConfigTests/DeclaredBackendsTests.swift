// DeclaredBackends: the backends a file names, read without validation or variable expansion
// (import merges into files whose variables this shell may not set).

import Testing
@testable import GatewayConfig

@Suite struct DeclaredBackendsTests {
    @Test func namesCommandsAndURLsInFileOrder() {
        let declared = DeclaredBackends.read(yaml: """
            backends:
              git: {command: "mcp-server-git --repository '/srv/my app'"}
              api: {http_url: "https://${HOST}/mcp", headers: {Authorization: "Bearer ${TOKEN}"}}
              list: {command: [python, -m, server]}
            """)
        #expect(declared == [
            DeclaredBackend(name: "git", argv: ["mcp-server-git", "--repository", "/srv/my app"], url: nil),
            DeclaredBackend(name: "api", argv: nil, url: "https://${HOST}/mcp"),
            DeclaredBackend(name: "list", argv: ["python", "-m", "server"], url: nil),
        ])
    }

    @Test func emptyAndUnreadableFiles() {
        #expect(DeclaredBackends.read(yaml: "") == [])
        #expect(DeclaredBackends.read(yaml: "server: {port: 1}\n") == [])
        #expect(DeclaredBackends.read(yaml: "backends:\n") == [])
        #expect(DeclaredBackends.read(yaml: "backends: [a, b]\n") == nil)
        #expect(DeclaredBackends.read(yaml: "backends: {a: [\n") == nil)
    }
}
