// `cap import` on real public specs (Petstore 3.0, Petstore Swagger 2.0), a 3.1 spec full of $refs with a
// recursive schema, and a generated spec with hundreds of operations: one valid file per operation,
// each with an example that produces its request, and a clear list of what was skipped and why.

import LoopbackTestServer
import Foundation
import GatewayCapabilities
import MCPProtocol
import Synchronization
import Testing

@Suite struct ImportTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
        return Array(try #require(FileManager.default.contents(atPath: path)))
    }

    /// Every generated file loads without problems and its example produces its request.
    func expectValid(_ result: OpenAPIImportResult) -> [String: CapabilityDefinition] {
        var definitions: [String: CapabilityDefinition] = [:]
        for capability in result.capabilities {
            let loaded = CapabilityFileLoader.parse(yaml: capability.yaml, path: capability.fileName)
            #expect(loaded.problems.isEmpty, "\(capability.name): \(loaded.problems)\n\(capability.yaml)")
            guard let definition = loaded.definition else { continue }
            #expect(definition.examples.count == 1, "\(capability.name) has no example")
            #expect(ExampleChecker.check(definition).isEmpty, "\(capability.name): \(ExampleChecker.check(definition))")
            definitions[definition.name] = definition
        }
        return definitions
    }

    @Test func petstoreOpenAPI30() throws {
        let result = try OpenAPIImporter.importSpec(
            bytes: try Self.fixture("petstore-openapi-3.0.yaml"),
            options: OpenAPIImportOptions(specURL: "https://petstore3.swagger.io/api/v3/openapi.yaml"))
        #expect(result.sourceVersion == "OpenAPI 3.0.2")
        #expect(result.capabilities.count == 18)
        #expect(result.skipped == [SkippedOperation(method: "POST", path: "/pet/{petId}/uploadImage",
                                                    reason: "request body type application/octet-stream is not supported")])
        let definitions = expectValid(result)
        #expect(Set(definitions.keys) == [
            "update_pet", "add_pet", "find_pets_by_status", "find_pets_by_tags", "get_pet_by_id", "update_pet_with_form",
            "delete_pet", "get_inventory", "place_order", "get_order_by_id", "delete_order", "create_user",
            "create_users_with_list_input", "login_user", "logout_user", "get_user_by_name", "update_user", "delete_user",
        ])
        let getPet = try #require(definitions["get_pet_by_id"])
        #expect(getPet.primary.baseURL.source == "https://petstore3.swagger.io/api/v3")
        #expect(getPet.primary.path.source == "/pet/{petId}")
        #expect(getPet.auth == AuthDefinition(kind: .apiKey, key: .environment("SWAGGER_PETSTORE_OPEN_API_3_0_TOKEN"),
                                              header: "api_key", required: true))
        #expect(getPet.isReadOnly)
        #expect(Set((getPet.outputSchema?["required"]?.arrayValue ?? []).compactMap(\.stringValue)) == ["name", "photoUrls"])
        let addPet = try #require(definitions["add_pet"])
        #expect(addPet.primary.method == "POST")
        #expect(Set((addPet.inputSchema["required"]?.arrayValue ?? []).compactMap(\.stringValue)) == ["name", "photoUrls"])
        #expect(addPet.examples.first?.body?["photoUrls"] == ["example"])
        #expect(addPet.auth.kind == .bearer)
        let findByStatus = try #require(definitions["find_pets_by_status"])
        #expect(findByStatus.examples.first?.url == "https://petstore3.swagger.io/api/v3/pet/findByStatus?status=available")
        #expect(definitions["delete_pet"]?.annotations["destructiveHint"] == true)
        #expect(definitions["delete_pet"]?.primary.headers.map(\.name) == ["api_key"])
    }

    @Test func relativeServersNeedABaseURL() throws {
        let result = try OpenAPIImporter.importSpec(bytes: try Self.fixture("petstore-openapi-3.0.yaml"), options: OpenAPIImportOptions())
        #expect(result.capabilities.isEmpty)
        #expect(result.skipSummary.first?.reason == "the server URL '/api/v3' is relative; pass --base-url")
        #expect(result.skipSummary.first?.count == 19)
        let withBase = try OpenAPIImporter.importSpec(bytes: try Self.fixture("petstore-openapi-3.0.yaml"),
                                                      options: OpenAPIImportOptions(prefix: "pets", authKey: "env:PETSTORE_KEY", baseURL: "https://pets.example.com/api/v3/"))
        let definitions = expectValid(withBase)
        let getPet = try #require(definitions["pets_get_pet_by_id"])
        #expect(getPet.primary.baseURL.source == "https://pets.example.com/api/v3")
        #expect(getPet.auth.key == .environment("PETSTORE_KEY"))
    }

    @Test func petstoreSwagger20() throws {
        let result = try OpenAPIImporter.importSpec(bytes: try Self.fixture("petstore-swagger-2.0.json"), options: OpenAPIImportOptions(prefix: "petstore"))
        #expect(result.sourceVersion == "Swagger 2.0")
        #expect(result.capabilities.count == 19)
        #expect(result.skipped.map(\.reason) == ["request body type multipart/form-data is not supported"])
        let definitions = expectValid(result)
        let form = try #require(definitions["petstore_update_pet_with_form"])
        #expect(form.primary.bodyEncoding == .form)
        #expect(form.primary.baseURL.source == "https://petstore.swagger.io/v2")
        let order = try #require(definitions["petstore_get_order_by_id"])
        #expect(order.inputSchema["properties"]?["orderId"]?["maximum"] == 10)
        #expect(order.examples.first?.url == "https://petstore.swagger.io/v2/store/order/1")
        let login = try #require(definitions["petstore_login_user"])
        #expect(login.inputSchema["required"] == ["username", "password"])
        let createUsers = try #require(definitions["petstore_create_users_with_array_input"])
        #expect(createUsers.primary.body == .text(try Template.parse("{body}").get()))
        #expect(definitions["petstore_find_pets_by_tags"]?.description.hasPrefix("(deprecated) Finds Pets by tags") == true)
    }

    @Test func openAPI31WithReferencesAndRecursion() throws {
        let result = try OpenAPIImporter.importSpec(bytes: try Self.fixture("tasks-openapi-3.1.yaml"), options: OpenAPIImportOptions())
        #expect(result.sourceVersion == "OpenAPI 3.1.0")
        #expect(result.capabilities.map(\.name) == ["list_tasks", "create_task", "get_task", "delete_task", "update_task", "get_person"])
        #expect(result.skipped.map(\.path) == ["/attachments"])
        #expect(result.notes == ["recursive schema reference cut short: Task → Task"])
        let definitions = expectValid(result)
        let list = try #require(definitions["list_tasks"])
        #expect(list.primary.baseURL.source == "https://api.tasks.example.com/v2")
        #expect(list.primary.params.map(\.name) == ["page", "per_page", "status", "filter[assignee]"])
        #expect(list.inputSchema["properties"]?["status"]?["enum"] == ["todo", "doing", "done"])
        #expect(list.inputSchema["properties"]?["filter_assignee"]?["description"] == "Only tasks assigned to this person id")
        #expect(list.examples.first?.url == "https://api.tasks.example.com/v2/tasks?page=1&per_page=20")
        #expect(list.auth == AuthDefinition(kind: .bearer, key: .environment("TASKS_API_TOKEN"), required: true))
        let request = try ExampleChecker.previewRequest(list, arguments: ["filter_assignee": "p_ada"])
        #expect(request.url == "https://api.tasks.example.com/v2/tasks?page=1&per_page=20&filter%5Bassignee%5D=p_ada")
        let create = try #require(definitions["create_task"])
        #expect(create.inputSchema["required"] == ["title"])
        #expect(create.examples.first?.body == ["title": "Write the report"])
        let get = try #require(definitions["get_task"])
        #expect(get.inputSchema["properties"]?["taskId"]?["format"] == "uuid")
        #expect(get.examples.first?.url == "https://api.tasks.example.com/v2/tasks/00000000-0000-4000-8000-000000000000")
        #expect(definitions["get_person"]?.auth.kind == AuthKind.none)
        #expect(definitions["get_person"]?.examples.first?.url == "https://api.tasks.example.com/v2/people/p_ada")
        let update = try #require(definitions["update_task"])
        #expect(update.primary.method == "PATCH")
        #expect(update.inputSchema["properties"]?["done_at"] != nil)
    }

    @Test func largeSpecWithHundredsOfOperations() throws {
        var paths = JSONObject()
        for index in 0..<160 {
            paths["/resources\(index)"] = [
                "get": ["operationId": .string("listResources\(index)"), "summary": .string("List resources of kind \(index)"),
                        "parameters": [["$ref": "#/components/parameters/Limit"], ["name": "q", "in": "query", "schema": ["type": "string"]]],
                        "responses": ["200": ["description": "ok", "content": ["application/json": ["schema": ["type": "array", "items": ["$ref": "#/components/schemas/Resource"]]]]]]],
                "post": ["operationId": .string("createResource\(index)"),
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Resource"]]]],
                         "responses": ["201": ["description": "created"]]],
            ]
        }
        let spec: JSONValue = [
            "openapi": "3.0.3", "info": ["title": "Big", "version": "1"], "servers": [["url": "https://big.example.com"]],
            "paths": .object(paths),
            "components": [
                "parameters": ["Limit": ["name": "limit", "in": "query", "schema": ["type": "integer", "maximum": 500]]],
                "schemas": ["Resource": ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"], "size": ["type": "integer"]]]],
            ],
        ]
        let reports = Mutex<[Int]>([])
        let started = ContinuousClock.now
        let result = try OpenAPIImporter.importSpec(bytes: JSONWriter.encode(spec), options: OpenAPIImportOptions()) { done, total in
            #expect(total == 320)
            reports.withLock { $0.append(done) }
        }
        let elapsed = ContinuousClock.now - started
        #expect(result.capabilities.count == 320)
        #expect(result.skipped.isEmpty)
        #expect(reports.withLock { $0 } == Array(1...320))
        #expect(elapsed < .seconds(30))
        let definitions = expectValid(result)
        #expect(definitions["create_resource159"]?.examples.first?.body == ["name": "example"])
    }

    @Test func importedFilesLoadIntoACatalogAndRunEndToEnd() async throws {
        let server = try await LoopbackServer { request in
            request.path == "/api/v3/pet/7" ? .json(#"{"id":7,"name":"doggie","photoUrls":[],"status":"available"}"#) : .json("{}", status: 404)
        }
        defer { Task { await server.stop() } }
        let result = try OpenAPIImporter.importSpec(bytes: try Self.fixture("petstore-openapi-3.0.yaml"),
                                                    options: OpenAPIImportOptions(authKey: "env:PET_KEY", baseURL: "https://petstore3.swagger.io/api/v3"))
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let written = try OpenAPIImporter.write(result, to: directory.path + "/petstore")
        #expect(written.count == 18)
        let settings = testSettings(directories: [directory.path], environment: ["PET_KEY": "k-777"], allowEnv: ["PET_KEY"],
                                    originOverrides: ["https://petstore3.swagger.io": server.origin])
        try await withCatalog(settings) { catalog in
            #expect(catalog.problems.isEmpty)
            #expect(catalog.tools.count == 18)
            let outcome = CallOutcome(await catalog.call(tool: "get_pet_by_id", arguments: json(#"{"petId": 7}"#)))
            #expect(outcome.structured?["name"] == "doggie")
        }
        #expect(server.requests.first?.header("api_key") == "k-777")
    }

    @Test func specFromAURLResolvesRelativeServers() async throws {
        let spec = String(decoding: try Self.fixture("petstore-openapi-3.0.yaml"), as: UTF8.self)
        let server = try await LoopbackServer { request in
            request.path == "/api/v3/openapi.yaml" ? CannedReply(headers: [("Content-Type", "application/yaml")], body: spec)
                : .json("{}", status: 404)
        }
        defer { Task { await server.stop() } }
        let result = try await OpenAPIImporter.importSpec(source: server.origin + "/api/v3/openapi.yaml", options: OpenAPIImportOptions())
        #expect(result.capabilities.count == 18)
        let definitions = expectValid(result)
        #expect(definitions["get_inventory"]?.primary.baseURL.source == server.origin + "/api/v3")
        await #expect(throws: SpecImportError.self) {
            try await OpenAPIImporter.importSpec(source: server.origin + "/missing.yaml", options: OpenAPIImportOptions())
        }
    }

    @Test func notASpecIsAClearError() {
        #expect(throws: SpecImportError.self) {
            try OpenAPIImporter.importSpec(bytes: Array("name: not a spec\n".utf8), options: OpenAPIImportOptions())
        }
    }
}
