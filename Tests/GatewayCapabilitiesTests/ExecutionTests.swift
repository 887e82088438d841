// Execution end to end against loopback servers: validation before any request, HTTP errors, retries
// only for idempotent operations, fallback providers, timeouts, response_path, transforms, truncation
// and GraphQL errors.

import LoopbackTestServer
import Foundation
import GatewayCapabilities
import MCPProtocol
import Synchronization
import Testing

@Suite struct ExecutionTests {
    /// A capability file with the given method, extra config lines and extra top-level sections.
    static func capability(method: String = "GET", path: String = "/items", config: String = "", extra: String = "") -> String {
        """
        name: items
        description: Items.
        schema:
          input:
            type: object
            properties:
              limit: {type: integer, minimum: 1, maximum: 50}
              kind: {type: string, enum: [a, b]}
              filter:
                type: object
                properties: {tag: {type: string, minLength: 2}}
                additionalProperties: false
              ids: {type: array, items: {type: integer}, maxItems: 3}
            additionalProperties: false
        providers:
          primary:
            timeout: 1s
            config:
              base_url: https://api.example.com
              path: \(path)
              method: \(method)
        \(config)
        \(extra)
        """
    }

    /// Writes `yaml`, starts a catalog routed to `server`, runs `body`.
    func run(_ yaml: String, server: LoopbackServer, _ body: (CapabilityCatalog) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("cap.yaml", yaml)
        let settings = testSettings(directories: [directory.path], originOverrides: ["https://api.example.com": server.origin])
        try await withCatalog(settings) { catalog in
            #expect(catalog.problems.isEmpty, "\(catalog.problems)")
            try await body(catalog)
        }
    }

    @Test(arguments: [
        (#"{"limit": 0}"#, "'limit' must be at least 1, got 0"),
        (#"{"limit": "5"}"#, "'limit' must be an integer, got the string \"5\""),
        (#"{"kind": "c"}"#, "'kind' must be one of \"a\", \"b\", got \"c\""),
        (#"{"filter": {"tag": "x"}}"#, "'filter.tag' must be at least 2 characters long, got 1"),
        (#"{"filter": {"tags": "xy"}}"#, "'filter.tags' is not a known argument (expected: tag); did you mean 'tag'?"),
        (#"{"ids": [1, "2"]}"#, "'ids[1]' must be an integer, got the string \"2\""),
        (#"{"ids": [1, 2, 3, 4]}"#, "'ids' must have at most 3 items, got 4"),
        (#"{"limt": 3}"#, "'limt' is not a known argument (expected: limit, kind, filter, ids); did you mean 'limit'?"),
        (#"[1]"#, "invalid arguments: expected a JSON object of argument names to values"),
    ])
    func invalidArgumentsAreRefusedBeforeAnyRequest(_ arguments: String, _ message: String) async throws {
        let server = try await LoopbackServer { _ in .json("[]") }
        defer { Task { await server.stop() } }
        try await run(Self.capability(), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json(arguments)))
            #expect(outcome.isError)
            #expect(outcome.text.contains(message), "\(outcome.text)")
        }
        #expect(server.requests.isEmpty)
    }

    @Test func httpErrorStatusIsAToolErrorWithTheAPIMessage() async throws {
        let server = try await LoopbackServer { _ in .json(#"{"message":"Not Found"}"#, status: 404) }
        defer { Task { await server.stop() } }
        try await run(Self.capability(), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(outcome.isError)
            #expect(outcome.text == #"HTTP 404 Not Found from GET 127.0.0.1:\#(server.port)/items: {"message":"Not Found"}"#)
        }
        #expect(server.requests.count == 1)
    }

    @Test func idempotentRequestsAreRetriedAndPostIsNot() async throws {
        let calls = Mutex(0)
        let server = try await LoopbackServer { _ in
            let count = calls.withLock { value -> Int in
                value += 1
                return value
            }
            return count < 3 ? .json(#"{"error":"busy"}"#, status: 503) : .json(#"{"ok":true}"#)
        }
        defer { Task { await server.stop() } }
        try await run(Self.capability(), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(!outcome.isError, "\(outcome.texts)")
            #expect(outcome.structured == ["ok": true])
        }
        #expect(server.requests.count == 3)

        calls.withLock { $0 = 0 }
        let postServer = try await LoopbackServer { _ in .json(#"{"error":"busy"}"#, status: 503) }
        defer { Task { await postServer.stop() } }
        try await run(Self.capability(method: "POST"), server: postServer) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(outcome.isError)
            #expect(outcome.text.hasPrefix("HTTP 503"))
        }
        #expect(postServer.requests.count == 1)

        let markedServer = try await LoopbackServer { _ in .json(#"{"error":"busy"}"#, status: 503) }
        defer { Task { await markedServer.stop() } }
        try await run(Self.capability(method: "POST", extra: "metadata: {idempotent: true}"), server: markedServer) { catalog in
            _ = await catalog.call(tool: "items", arguments: json("{}"))
        }
        #expect(markedServer.requests.count == 3)
    }

    @Test func fallbackProviderAnswersWhenThePrimaryFails() async throws {
        let primary = try await LoopbackServer { _ in .json(#"{"error":"down"}"#, status: 500) }
        let fallback = try await LoopbackServer { request in .json("{\"from\":\"fallback\",\"path\":\"\(request.path)\"}") }
        defer { Task { await primary.stop(); await fallback.stop() } }
        let yaml = """
            name: items
            description: Items.
            schema:
              input: {type: object, properties: {id: {type: string}}, required: [id]}
            providers:
              primary:
                config: {base_url: "https://api.example.com", path: "/items/{id}"}
              fallback:
                - config: {base_url: "https://backup.example.com", path: "/v2/items/{id}"}
            """
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("cap.yaml", yaml)
        let settings = testSettings(directories: [directory.path], originOverrides: [
            "https://api.example.com": primary.origin, "https://backup.example.com": fallback.origin,
        ])
        try await withCatalog(settings) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json(#"{"id":"a b"}"#)))
            #expect(!outcome.isError, "\(outcome.texts)")
            #expect(outcome.structured == ["from": "fallback", "path": "/v2/items/a%20b"])
        }
        #expect(primary.requests.count == 3)
        #expect(fallback.requests.count == 1)
    }

    @Test func slowAPIsTimeOut() async throws {
        let server = try await LoopbackServer { _ in CannedReply(body: "{}", delay: .seconds(10)) }
        defer { Task { await server.stop() } }
        try await run(Self.capability(method: "POST"), server: server) { catalog in
            let started = ContinuousClock.now
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(outcome.isError)
            #expect(outcome.text == "the API did not answer within 1s")
            // The server would answer (successfully) after 10 s; the bound is loose for loaded machines.
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }

    @Test func responsePathAndTransformsShapeTheResult() async throws {
        let server = try await LoopbackServer { _ in
            .json(#"{"data":{"items":[{"id":1,"name":"a","owner":{"login":"x","email":"x@e.com"},"token":"ghp_abc123"},{"id":2,"name":"b","owner":{"login":"y","email":"y@e.com"},"token":"none"}]}}"#)
        }
        defer { Task { await server.stop() } }
        let config = "      response_path: data.items"
        let extra = """
            transform:
              project: [id, owner.login, owner.email, token]
              rename: {id: item_id}
              redact: [email, {pattern: "ghp_[a-z0-9]+", replacement: "[token]"}]
            """
        try await run(Self.capability(config: config, extra: extra), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(!outcome.isError)
            #expect(outcome.structured == nil)
            #expect(outcome.text == #"[{"item_id":1,"owner":{"login":"x","email":"[REDACTED]"},"token":"[token]"},{"item_id":2,"owner":{"login":"y","email":"[REDACTED]"},"token":"none"}]"#)
        }
    }

    @Test func missingResponsePathIsAnError() async throws {
        let server = try await LoopbackServer { _ in .json(#"{"other":1}"#) }
        defer { Task { await server.stop() } }
        try await run(Self.capability(config: "      response_path: data.items"), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(outcome.isError)
            #expect(outcome.text == "the response has nothing at response_path 'data.items'")
        }
    }

    @Test func truncateCapsTheBytesAndSaysSo() async throws {
        let items = (1...100).map { "{\"n\":\($0),\"text\":\"item number \($0)\"}" }.joined(separator: ",")
        let server = try await LoopbackServer { request in
            request.path == "/text" ? CannedReply(headers: [("Content-Type", "text/plain")], body: String(repeating: "é", count: 400))
                : .json("[\(items)]")
        }
        defer { Task { await server.stop() } }
        try await run(Self.capability(extra: "transform: {truncate: 300}"), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(!outcome.isError)
            #expect(outcome.text.utf8.count <= 300)
            let shown = try #require(try? JSONParser.parse(outcome.text).arrayValue)
            #expect(shown.count == 9)
            #expect(outcome.texts.last?.hasPrefix("[truncated: showing the first 9 of 100 items") == true)
        }
        try await run(Self.capability(path: "/text", extra: "transform: {truncate: 301}"), server: server) { catalog in
            let outcome = CallOutcome(await catalog.call(tool: "items", arguments: json("{}")))
            #expect(outcome.text.utf8.count == 300)
            #expect(outcome.text == String(repeating: "é", count: 150))
            #expect(outcome.texts.last == "[truncated: showing 300 of 800 bytes (limit 301); narrow the request to see the rest]")
        }
    }

    @Test func graphQLSendsQueryAndVariablesAndReportsErrors() async throws {
        let server = try await LoopbackServer { request in
            request.bodyText.contains("\"code\":\"XX\"")
                ? .json(#"{"errors":[{"message":"unknown continent XX"}],"data":null}"#)
                : .json(#"{"data":{"continent":{"name":"Europe"}}}"#)
        }
        defer { Task { await server.stop() } }
        let yaml = """
            name: continent
            description: A continent.
            schema:
              input: {type: object, properties: {code: {type: string}}, required: [code]}
            providers:
              primary:
                service: graphql
                config:
                  base_url: https://api.example.com
                  path: /graphql
                  body: "query($code: ID!) { continent(code: $code) { name } }"
                  response_path: data.continent
            """
        try await run(yaml, server: server) { catalog in
            let good = CallOutcome(await catalog.call(tool: "continent", arguments: json(#"{"code":"EU"}"#)))
            #expect(good.structured == ["name": "Europe"])
            let bad = CallOutcome(await catalog.call(tool: "continent", arguments: json(#"{"code":"XX"}"#)))
            #expect(bad.isError)
            #expect(bad.text == "GraphQL errors: unknown continent XX")
        }
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        let body = try JSONParser.parse(request.body)
        #expect(body["variables"] == ["code": "EU"])
        #expect(body["query"] == "query($code: ID!) { continent(code: $code) { name } }")
    }

    @Test func unknownToolIsReportedAsSuch() async throws {
        try await withCatalog(testSettings()) { catalog in
            #expect(await catalog.call(tool: "nope", arguments: []) == .unknownTool)
        }
    }
}
