// `backends.NAME.roots`: file:// URIs, as strings or {uri, name}; anything else is an error at
// its line that says what a root must be (and, for a bare absolute path, the URI to write).

import Testing
@testable import GatewayConfig

@Suite struct BackendRootsTests {
    @Test func stringsAndMappings() throws {
        let result = parse("""
            backends:
              files:
                command: files-server
                roots:
                  - file:///srv/projects/app
                  - {uri: "file:///srv/shared", name: shared}
            """)
        #expect(result.diagnostics.isEmpty)
        let backend = try #require(result.config?.backends.first)
        #expect(backend.roots == [BackendRoot(uri: "file:///srv/projects/app"),
                                  BackendRoot(uri: "file:///srv/shared", name: "shared")])
    }

    @Test func withoutTheKeyTheClientsRootsAreRelayed() throws {
        let backend = try #require(parse("backends:\n  a: {command: a}\n").config?.backends.first)
        #expect(backend.roots == nil)
    }

    @Test func badRootsAreErrorsAtTheirLines() {
        let result = parse("""
            backends:
              a:
                command: a
                roots:
                  - /srv/projects/app
                  - https://example.com/repo
                  - {name: nameless}
                  - {uri: "file:///ok", label: x}
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == ["backends.a.roots[0]", "backends.a.roots[1]", "backends.a.roots[2]",
                                              "backends.a.roots[3].label"])
        #expect(result.errors.map(\.line) == [5, 6, 7, 8])
        #expect(result.errors[0].message.contains("file:///srv/projects/app"))
        #expect(result.errors[1].message.contains("must be a file:// URI"))
    }

    @Test func aRootsValueThatIsNotAListIsAnError() {
        let result = parse("backends:\n  a:\n    command: a\n    roots: file:///srv\n")
        #expect(result.errors.map(\.path) == ["backends.a.roots"])
        #expect(result.errors.map(\.line) == [4])
    }
}
