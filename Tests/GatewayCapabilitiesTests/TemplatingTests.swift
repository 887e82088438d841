// Templating and encoding: path and query values are percent-encoded, a value cannot add a path segment
// or parameter, JSON bodies keep argument types, missing optional arguments drop their parameter.

import GatewayCapabilities
import MCPProtocol
import Testing

@Suite struct TemplatingTests {
    static let yaml = """
        name: lookup
        description: Look things up.
        schema:
          input:
            type: object
            properties:
              lang: {type: string, default: en}
              title: {type: string}
              query: {type: string}
              limit: {type: integer}
              tags: {type: array, items: {type: string}}
              flag: {type: boolean}
            required: [title]
        providers:
          primary:
            config:
              base_url: https://{lang}.wikipedia.org
              path: /api/rest_v1/page/summary/{title}
              params: {q: "{query}", limit: "{limit}", tags: "{tags}", fixed: "a b", mixed: "x-{query}-y"}
              headers: {X-Query: "{query}"}
        """

    static let definition: CapabilityDefinition? = loadCapability(yaml).definition

    func request(_ arguments: JSONValue) throws -> PreparedRequest {
        try ExampleChecker.previewRequest(try #require(Self.definition), arguments: arguments)
    }

    @Test func pathAndQueryValuesAreEncoded() throws {
        let built = try request(["title": "AC/DC & friends?#x", "query": "a+b=c&d", "limit": 5, "tags": ["x", "y z"]])
        #expect(built.url == "https://en.wikipedia.org/api/rest_v1/page/summary/AC%2FDC%20%26%20friends%3F%23x?q=a%2Bb%3Dc%26d&limit=5&tags=x%2Cy%20z&fixed=a%20b&mixed=x-a%2Bb%3Dc%26d-y")
        #expect(built.header("X-Query") == "a+b=c&d")
        #expect(built.method == "GET")
        #expect(built.body == nil)
    }

    @Test func dotSegmentsAndUnicodeAreEncoded() throws {
        #expect(try request(["title": ".."]).url == "https://en.wikipedia.org/api/rest_v1/page/summary/%2E%2E?fixed=a%20b")
        #expect(try request(["title": "Zürich"]).url == "https://en.wikipedia.org/api/rest_v1/page/summary/Z%C3%BCrich?fixed=a%20b")
    }

    @Test func missingOptionalArgumentsDropTheirParameters() throws {
        let built = try request(["title": "Swift"])
        #expect(built.url == "https://en.wikipedia.org/api/rest_v1/page/summary/Swift?fixed=a%20b")
        #expect(built.header("X-Query") == nil)
    }

    @Test func hostPlaceholderMustBeALabel() throws {
        #expect(try request(["title": "x", "lang": "de"]).url.hasPrefix("https://de.wikipedia.org/"))
        #expect(throws: ExamplePreviewError.self) { try request(["title": "x", "lang": "evil.com/x"]) }
        #expect(throws: ExamplePreviewError.self) { try request(["title": "x", "lang": "127.0.0.1:80@"]) }
    }

    @Test func headerValuesCannotBreakTheRequest() {
        #expect(throws: ExamplePreviewError.self) { try request(["title": "x", "query": "a\r\nX-Injected: 1"]) }
    }

    @Test func jsonBodyKeepsArgumentTypes() throws {
        let yaml = """
            name: create
            description: Create.
            schema:
              input:
                type: object
                properties:
                  name: {type: string}
                  count: {type: integer}
                  ratio: {type: number}
                  public: {type: boolean}
                  labels: {type: array, items: {type: string}}
                  meta: {type: object}
                  note: {type: string}
                required: [name]
            providers:
              primary:
                config:
                  base_url: https://api.example.com
                  path: /items
                  method: POST
                  body:
                    name: "{name}"
                    count: "{count}"
                    ratio: "{ratio}"
                    public: "{public}"
                    labels: "{labels}"
                    meta: "{meta}"
                    title: "Item {name}"
                    note: "{note}"
                    fixed: 3
            """
        let definition = try #require(loadCapability(yaml).definition)
        let built = try ExampleChecker.previewRequest(definition, arguments: [
            "name": "n1", "count": 3, "ratio": 0.5, "public": true, "labels": ["a", "b"], "meta": ["k": 1],
        ])
        let body = try #require(built.body.flatMap { try? JSONParser.parse($0) })
        #expect(body == [
            "name": "n1", "count": 3, "ratio": 0.5, "public": true, "labels": ["a", "b"], "meta": ["k": 1],
            "title": "Item n1", "fixed": 3,
        ])
        #expect(built.header("Content-Type") == "application/json")
    }

    @Test func postWithoutBodyTemplateSendsTheUnusedArguments() throws {
        let yaml = """
            name: create
            description: Create.
            schema:
              input:
                type: object
                properties: {id: {type: string}, name: {type: string}, size: {type: integer}}
                required: [id]
            providers:
              primary:
                config: {base_url: "https://api.example.com", path: "/items/{id}", method: PUT}
            """
        let definition = try #require(loadCapability(yaml).definition)
        let built = try ExampleChecker.previewRequest(definition, arguments: ["id": "7", "name": "x", "size": 2])
        #expect(built.url == "https://api.example.com/items/7")
        #expect(built.bodyText == #"{"name":"x","size":2}"#)
    }

    @Test func formBodiesAreEncoded() throws {
        let yaml = """
            name: token
            description: Form post.
            schema:
              input: {type: object, properties: {text: {type: string}}}
            providers:
              primary:
                config:
                  base_url: https://api.example.com
                  method: POST
                  body_content_type: application/x-www-form-urlencoded
                  body: {text: "{text}", mode: fast}
            """
        let definition = try #require(loadCapability(yaml).definition)
        let built = try ExampleChecker.previewRequest(definition, arguments: ["text": "a&b=c d"])
        #expect(built.bodyText == "text=a%26b%3Dc%20d&mode=fast")
        #expect(built.header("Content-Type") == "application/x-www-form-urlencoded")
    }

    @Test func escapedBracesAreLiteral() throws {
        let yaml = """
            name: braces
            description: Braces.
            providers:
              primary:
                config: {base_url: "https://api.example.com", headers: {X-Json: "{{\\"a\\": 1}}"}}
            """
        let definition = try #require(loadCapability(yaml).definition)
        #expect(try ExampleChecker.previewRequest(definition, arguments: [:]).header("X-Json") == #"{"a": 1}"#)
    }

    @Test func responsePathsParse() {
        #expect(ResponsePath("data.items[0].name")?.extract(from: ["data": ["items": [["name": "a"]]]]) == "a")
        #expect(ResponsePath("items[*].id")?.extract(from: ["items": [["id": 1], ["id": 2], ["x": 3]]]) == [1, 2])
        #expect(ResponsePath("list[-1]")?.extract(from: ["list": [1, 2, 3]]) == 3)
        #expect(ResponsePath("a.0.b")?.extract(from: ["a": [["b": true]]]) == true)
        #expect(ResponsePath("a..b") == nil)
        #expect(ResponsePath("a[x]") == nil)
    }

    /// Fuzz finding 5: braces are found by Unicode scalar, so one after a "prepend" scalar
    /// (which joins the next character's grapheme cluster) still opens a placeholder.
    @Test func aBraceAfterAPrependScalarIsStillABrace() throws {
        let template = try Template.parse("\u{604}{title}/x").get()
        #expect(template.segments == [.literal("\u{604}"), .argument("title"), .literal("/x")])
        #expect(throws: TemplateSyntaxError.self) { try Template.parse("\u{FFFD}#\u{604}{").get() }
        #expect(try Template.parse("\u{604}{{").get().segments == [.literal("\u{604}{")])
    }
}
