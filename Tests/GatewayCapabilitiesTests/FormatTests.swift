// The capability file format: a complete file decodes into every field; mistakes are errors with the
// file, line and a did-you-mean; reference-only keys load with a warning or are refused with advice.

import GatewayCapabilities
import MCPProtocol
import Testing

@Suite struct FormatTests {
    static let complete = """
        fulcrum: "1.0"
        name: repo_issues
        description: List the issues of a repository.
        schema:
          input:
            type: object
            properties:
              owner: {type: string, description: Account}
              repo: {type: string}
              state: {type: string, enum: [open, closed, all], default: open}
              per_page: {type: integer, minimum: 1, maximum: 100}
            required: [owner, repo]
            additionalProperties: false
          output:
            type: array
        providers:
          primary:
            service: rest
            timeout: 10s
            config:
              base_url: https://api.github.com
              path: /repos/{owner}/{repo}/issues
              method: get
              headers:
                Accept: application/vnd.github+json
                X-GitHub-Api-Version: "2022-11-28"
              params:
                state: "{state}"
                per_page: "{per_page}"
              response_path: items
          fallback:
            - service: rest
              config:
                endpoint: https://mirror.example.org/repos/{owner}/{repo}/issues
        auth:
          type: bearer
          key: env:GITHUB_TOKEN
          required: false
        metadata:
          category: code
          tags: [github, issues]
          read_only: true
          open_world: true
        transform:
          project: [number, title, user.login]
          rename: {number: id}
          redact: [email, {pattern: "ghp_[A-Za-z0-9]+", replacement: "[token]"}]
          truncate: 8KB
        examples:
          - description: open issues
            arguments: {owner: apple, repo: swift-nio, per_page: 5}
            request:
              method: GET
              url: https://api.github.com/repos/apple/swift-nio/issues?state=open&per_page=5
              headers: {Authorization: "Bearer <GITHUB_TOKEN>"}
        """

    @Test func completeFileDecodesEveryField() throws {
        let result = loadCapability(Self.complete)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let definition = try #require(result.definition)
        #expect(definition.name == "repo_issues")
        #expect(definition.primary.method == "GET")
        #expect(definition.primary.timeout == .seconds(10))
        #expect(definition.primary.headers.map(\.name) == ["Accept", "X-GitHub-Api-Version"])
        #expect(definition.primary.params.map(\.name) == ["state", "per_page"])
        #expect(definition.primary.responsePath?.source == "items")
        #expect(definition.fallbacks.count == 1)
        #expect(definition.auth.kind == .bearer)
        #expect(definition.auth.key == .environment("GITHUB_TOKEN"))
        #expect(definition.metadata.tags == ["github", "issues"])
        #expect(definition.transform.truncate == 8000)
        #expect(definition.transform.redact == [.field("email"), .pattern("ghp_[A-Za-z0-9]+", replacement: "[token]")])
        #expect(definition.outputSchema?["type"] == "array")
        #expect(definition.examples.count == 1)
        #expect(definition.examples[0].line == 50)
        #expect(ExampleChecker.check(definition).isEmpty, "\(ExampleChecker.check(definition))")
    }

    /// A space or control character in a path or URL would go out raw in the request line
    /// (found by the long fuzz run of 2026-12-07): refused at its line, with the fix.
    @Test func spacesAndControlCharactersInPathsAndURLsAreRefused() throws {
        let spaced = Self.complete.replacingOccurrences(of: "path: /repos/{owner}/{repo}/issues",
                                                        with: "path: /repos/{owner}/ x /issues")
        let result = loadCapability(spaced)
        #expect(result.definition == nil)
        let error = try #require(result.errors.first { $0.message.contains("cannot contain a space") })
        #expect(error.message.contains("percent-encode it (a space is %20)"))
        #expect(error.line == 22)
        let tabbed = Self.complete.replacingOccurrences(of: "endpoint: https://mirror.example.org/repos/{owner}/{repo}/issues",
                                                        with: "endpoint: \"https://mirror.example.org/re\\tpos/{owner}\"")
        let tabErrors = loadCapability(tabbed).errors.map(\.message)
        #expect(tabErrors.contains { $0.contains("a control character (0x9)") }, "\(tabErrors)")
        let encoded = Self.complete.replacingOccurrences(of: "path: /repos/{owner}/{repo}/issues",
                                                         with: "path: /repos/{owner}/{repo}/my%20issues")
        #expect(loadCapability(encoded).definition != nil)
    }

    @Test func annotationsComeFromMetadata() throws {
        let definition = try #require(loadCapability(Self.complete).definition)
        let catalogTool = definition.toolDefinition
        let annotations = try #require(try catalogTool.annotations?.parsed())
        #expect(annotations["readOnlyHint"] == true)
        #expect(annotations["idempotentHint"] == true)
        #expect(annotations["openWorldHint"] == true)
        #expect(annotations["destructiveHint"] == nil)
        let raw = try catalogTool.raw.parsed()
        #expect(raw["_meta"]?["tags"] == ["github", "issues"])
        #expect(raw["_meta"]?["category"] == "code")
    }

    @Test func postIsNotReadOnlyOrIdempotentUnlessDeclared() throws {
        let yaml = """
            name: make_thing
            description: Create a thing.
            providers:
              primary:
                config: {base_url: "https://api.example.com", path: /things, method: POST}
            """
        let definition = try #require(loadCapability(yaml).definition)
        let annotations = definition.annotations
        #expect(annotations["readOnlyHint"] == false)
        #expect(annotations["destructiveHint"] == false)
        #expect(annotations["idempotentHint"] == false)
        #expect(!definition.isIdempotent)
        let marked = try #require(loadCapability(yaml + "\nmetadata: {idempotent: true, destructive: true}\n").definition)
        #expect(marked.isIdempotent)
        #expect(marked.annotations["destructiveHint"] == true)
    }

    @Test(arguments: [
        ("name: x\ndescription: d\nprovider: {}\n", 3, "unknown top-level key 'provider'; did you mean 'providers'?"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    config:\n      base_url: https://a.example\n      metod: GET\n",
         7, "unknown key 'metod' in 'providers.primary.config'; did you mean 'method'?"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    service: cli\n    config: {base_url: https://a.example}\n",
         5, "service 'cli' cannot be executed: use 'rest' or 'graphql'"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    config: {base_url: https://a.example, method: FETCH}\n",
         5, "unknown HTTP method 'FETCH' for 'providers.primary.config.method'; use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    config: {base_url: ftp://a.example}\n",
         5, "'providers.primary.config.base_url' must be an http:// or https:// URL, found 'ftp://a.example'"),
        ("name: has space\ndescription: d\nproviders:\n  primary:\n    config: {base_url: https://a.example}\n",
         1, "invalid capability name 'has space': use [A-Za-z0-9_-], 1 to 64 characters (it becomes the tool name)"),
        ("name: x\ndescription: d\nauth: {type: bearer, key: ghp_secret123}\nproviders:\n  primary:\n    config: {base_url: https://a.example}\n",
         3, "a literal key is not accepted (it would be readable by anyone who can read this file): use env:NAME or file:PATH (in 'auth.key')"),
        ("name: x\ndescription: d\nauth: {type: oauth, key: env:T}\nproviders:\n  primary:\n    config: {base_url: https://a.example}\n",
         3, "auth type 'oauth' is not supported: get a token and use type: bearer with key: env:NAME"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    config:\n      base_url: https://a.example\n      param_map: {q: query}\n",
         7, "'param_map' is not supported: name the API parameter in 'params' instead, e.g. params: {q: \"{query}\"}"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    config: {base_url: https://a.example, response_format: xml}\n",
         5, "response_format 'xml' is not supported: responses are read as JSON or text"),
        ("name: x\ndescription: [d]\nproviders:\n  primary:\n    config: {base_url: https://a.example}\n",
         2, "expected a string for 'description', found a list"),
        ("name: x\ndescription: d\n", 1, "a capability needs 'providers'"),
        ("name: x\ndescription: d\nproviders:\n  primary:\n    config: {base_url: https://a.example\n", 6, ""),
    ])
    func badFilesAreErrorsWithLines(_ yaml: String, _ line: Int, _ message: String) {
        let result = loadCapability(yaml, path: "bad.yaml")
        #expect(result.definition == nil)
        let first = result.errors.first
        #expect(first?.line == line, "\(result.problems)")
        if !message.isEmpty { #expect(first?.message == message) }
        #expect(first?.path == "bad.yaml")
    }

    @Test func placeholdersMustBeInputProperties() {
        let yaml = """
            name: search
            description: Search.
            schema:
              input:
                type: object
                properties:
                  query: {type: string}
                  page: {type: integer}
                required: [query]
            providers:
              primary:
                config:
                  base_url: https://a.example
                  path: /items/{page}
                  params: {q: "{qeury}"}
                  headers: {Authorization: "Bearer {TOKEN}"}
            """
        let result = loadCapability(yaml)
        #expect(result.definition == nil)
        #expect(result.errors.map(\.message) == [
            "'{page}' is in the URL, so 'page' must be listed in 'schema.input.required' or have a default",
            "'{qeury}' in 'providers.primary.config.params.q' is not a property of 'schema.input'; did you mean '{query}'?",
            "'{TOKEN}' in 'providers.primary.config.headers.Authorization' is not a property of 'schema.input'; to read the environment variable write {env.TOKEN}",
        ])
        #expect(result.errors.map(\.line) == [14, 15, 16])
    }

    @Test func referenceOnlyKeysWarn() throws {
        let yaml = """
            name: x
            description: d
            cache: {strategy: exact, ttl: 300}
            metadata: {cost_category: free, tags: [a]}
            providers:
              primary:
                cost_per_call: 0
                config: {base_url: "https://a.example"}
            """
        let result = loadCapability(yaml)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.map(\.keyPath) == ["cache", "metadata.cost_category", "providers.primary.cost_per_call"])
        #expect(result.definition != nil)
    }

    @Test func exampleArgumentsMustFitTheSchema() {
        let yaml = """
            name: x
            description: d
            schema:
              input: {type: object, properties: {n: {type: integer, maximum: 5}}}
            providers:
              primary:
                config: {base_url: "https://a.example", params: {n: "{n}"}}
            examples:
              - arguments: {n: 9}
                request: {url: "https://a.example?n=9"}
            """
        let result = loadCapability(yaml)
        #expect(result.errors.map(\.message) == ["example 1: arguments do not fit 'schema.input': 'n' must be at most 5, got 9"])
        #expect(result.errors.first?.line == 9)
    }

    @Test func graphQLNeedsAQueryAndUsesPost() throws {
        let yaml = """
            name: countries
            description: Countries by continent.
            schema:
              input: {type: object, properties: {code: {type: string}}, required: [code]}
            providers:
              primary:
                service: graphql
                config:
                  base_url: https://countries.trevorblades.com
                  path: /graphql
                  body: "query($code: ID!) { continent(code: $code) { name countries { code name } } }"
                  response_path: data.continent
            """
        let definition = try #require(loadCapability(yaml).definition)
        #expect(definition.primary.method == "POST")
        #expect(definition.isReadOnly)
        let request = try ExampleChecker.previewRequest(definition, arguments: ["code": "EU"])
        let body = try #require(request.body.flatMap { try? JSONParser.parse($0) })
        #expect(body["variables"] == ["code": "EU"])
        #expect(body["query"]?.stringValue?.hasPrefix("query($code: ID!)") == true)
        #expect(request.header("Content-Type") == "application/json")
    }
}
