// Converts a Swagger 2.0 document into an OpenAPI 3.0 one (as JSON trees), so one importer reads both:
// host/basePath/schemes become servers, body and formData parameters become request bodies, response
// schemas get a media type, definitions and securityDefinitions move under components.

import MCPProtocol

enum SwaggerConverter {
    static func convert(_ swagger: JSONValue) -> JSONValue {
        let root = swagger.objectValue ?? JSONObject()
        var result = JSONObject([("openapi", "3.0.3")])
        result["info"] = root["info"] ?? ["title": "API", "version": "1"]
        if let server = serverURL(root) { result["servers"] = [["url": .string(server)]] }
        for key in ["tags", "externalDocs", "security"] { if let value = root[key] { result[key] = value } }
        let consumes = root["consumes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let produces = root["produces"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var paths = JSONObject()
        for member in root["paths"]?.objectValue?.members ?? [] where !member.key.hasPrefix("x-") {
            paths[member.key] = .object(pathItem(member.value.objectValue ?? JSONObject(), root: root,
                                                 consumes: consumes, produces: produces))
        }
        result["paths"] = .object(paths)
        var components = JSONObject()
        if let definitions = root["definitions"] { components["schemas"] = schemaTree(definitions) }
        if let schemes = root["securityDefinitions"]?.objectValue {
            components["securitySchemes"] = .object(JSONObject(schemes.members.map { ($0.key, securityScheme($0.value)) }))
        }
        result["components"] = .object(components)
        return rewriteReferences(.object(result))
    }

    private static func serverURL(_ root: JSONObject) -> String? {
        let basePath = root["basePath"]?.stringValue ?? ""
        guard let host = root["host"]?.stringValue else { return basePath.isEmpty ? nil : basePath }
        let schemes = root["schemes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let scheme = schemes.contains("https") || schemes.isEmpty ? "https" : (schemes.first ?? "https")
        return "\(scheme)://\(host)\(basePath)"
    }

    private static func pathItem(_ item: JSONObject, root: JSONObject, consumes: [String], produces: [String]) -> JSONObject {
        var result = JSONObject()
        let shared = (item["parameters"]?.arrayValue ?? []).map { resolveParameter($0, root: root) }
        for member in item.members {
            switch member.key {
            case "get", "put", "post", "delete", "options", "head", "patch":
                result[member.key] = .object(operation(member.value.objectValue ?? JSONObject(), shared: shared, root: root,
                                                        consumes: consumes, produces: produces))
            case "parameters":
                let plain = shared.filter { !["body", "formData"].contains($0["in"]?.stringValue ?? "") }
                if !plain.isEmpty { result["parameters"] = .array(plain.map(parameter)) }
            default:
                continue
            }
        }
        return result
    }

    private static func operation(_ operation: JSONObject, shared: [JSONValue], root: JSONObject,
                                  consumes: [String], produces: [String]) -> JSONObject {
        var result = JSONObject()
        for key in ["tags", "summary", "description", "operationId", "deprecated", "security", "externalDocs"] {
            if let value = operation[key] { result[key] = value }
        }
        let own = (operation["parameters"]?.arrayValue ?? []).map { resolveParameter($0, root: root) }
        // An operation's parameter replaces a path-level one with the same name and location.
        let ownKeys = Set(own.map { "\($0["in"]?.stringValue ?? ""):\($0["name"]?.stringValue ?? "")" })
        let all = shared.filter { !ownKeys.contains("\($0["in"]?.stringValue ?? ""):\($0["name"]?.stringValue ?? "")") } + own
        let mediaTypes = operation["consumes"]?.arrayValue?.compactMap(\.stringValue) ?? consumes
        var parameters: [JSONValue] = []
        var formProperties = JSONObject()
        var formRequired: [JSONValue] = []
        var hasFile = false
        for item in all {
            switch item["in"]?.stringValue {
            case "body":
                let type = mediaTypes.first { $0.contains("json") } ?? mediaTypes.first ?? "application/json"
                var body = JSONObject([("content", .object(JSONObject([(type, ["schema": schemaTree(item["schema"] ?? [:])])])))])
                if let description = item["description"] { body["description"] = description }
                if item["required"]?.boolValue == true { body["required"] = true }
                result["requestBody"] = .object(body)
            case "formData":
                guard let name = item["name"]?.stringValue else { continue }
                if item["type"]?.stringValue == "file" { hasFile = true }
                formProperties[name] = simpleSchema(item)
                if item["required"]?.boolValue == true { formRequired.append(.string(name)) }
            default:
                parameters.append(parameter(item))
            }
        }
        if !parameters.isEmpty { result["parameters"] = .array(parameters) }
        if formProperties.count > 0 {
            let type = hasFile || mediaTypes.contains("multipart/form-data") ? "multipart/form-data" : "application/x-www-form-urlencoded"
            var schema = JSONObject([("type", "object"), ("properties", .object(formProperties))])
            if !formRequired.isEmpty { schema["required"] = .array(formRequired) }
            result["requestBody"] = ["content": .object(JSONObject([(type, ["schema": .object(schema)])]))]
        }
        let outputTypes = operation["produces"]?.arrayValue?.compactMap(\.stringValue) ?? produces
        var responses = JSONObject()
        for member in operation["responses"]?.objectValue?.members ?? [] where !member.key.hasPrefix("x-") {
            responses[member.key] = response(resolveResponse(member.value, root: root), produces: outputTypes)
        }
        result["responses"] = responses.count > 0 ? .object(responses) : ["default": ["description": "response"]]
        return result
    }

    private static func resolveParameter(_ value: JSONValue, root: JSONObject) -> JSONValue {
        guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/parameters/") else { return value }
        return root["parameters"]?[String(reference.dropFirst("#/parameters/".count))] ?? value
    }

    private static func resolveResponse(_ value: JSONValue, root: JSONObject) -> JSONValue {
        guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/responses/") else { return value }
        return root["responses"]?[String(reference.dropFirst("#/responses/".count))] ?? value
    }

    private static func parameter(_ item: JSONValue) -> JSONValue {
        var result = JSONObject()
        for key in ["name", "in", "description", "required", "deprecated"] { if let value = item[key] { result[key] = value } }
        if item["in"]?.stringValue == "path" { result["required"] = true }
        result["schema"] = simpleSchema(item)
        return .object(result)
    }

    /// The schema of a non-body 2.0 parameter, written inline on the parameter itself.
    private static func simpleSchema(_ item: JSONValue) -> JSONValue {
        var schema = JSONObject()
        for key in ["type", "format", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf", "description"] {
            if let value = item[key] { schema[key] = value }
        }
        if schema["type"] == "file" {
            schema["type"] = "string"
            schema["format"] = "binary"
        }
        if let items = item["items"] { schema["items"] = simpleSchema(items) }
        return .object(schema)
    }

    private static func response(_ value: JSONValue, produces: [String]) -> JSONValue {
        var result = JSONObject([("description", value["description"] ?? "response")])
        if let schema = value["schema"] {
            let type = produces.first { $0.contains("json") } ?? produces.first ?? "application/json"
            result["content"] = .object(JSONObject([(type, ["schema": schemaTree(schema)])]))
        }
        return .object(result)
    }

    /// 2.0-only schema keywords: `type: file` and `x-nullable`.
    private static func schemaTree(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result = JSONObject()
            for member in object.members {
                if member.key == "x-nullable" {
                    result["nullable"] = member.value
                } else if member.key == "type", member.value == "file" {
                    result["type"] = "string"
                    result["format"] = "binary"
                } else {
                    result[member.key] = schemaTree(member.value)
                }
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(schemaTree))
        default:
            return value
        }
    }

    private static func securityScheme(_ value: JSONValue) -> JSONValue {
        switch value["type"]?.stringValue {
        case "basic":
            return ["type": "http", "scheme": "basic"]
        case "apiKey":
            return ["type": "apiKey", "name": value["name"] ?? "api_key", "in": value["in"] ?? "header"]
        default:
            let scopes = value["scopes"] ?? .object(JSONObject())
            let authorizationURL = value["authorizationUrl"] ?? "https://example.invalid/authorize"
            let tokenURL = value["tokenUrl"] ?? "https://example.invalid/token"
            let flow: (String, JSONValue)
            switch value["flow"]?.stringValue {
            case "password": flow = ("password", ["tokenUrl": tokenURL, "scopes": scopes])
            case "application": flow = ("clientCredentials", ["tokenUrl": tokenURL, "scopes": scopes])
            case "accessCode": flow = ("authorizationCode", ["authorizationUrl": authorizationURL, "tokenUrl": tokenURL, "scopes": scopes])
            default: flow = ("implicit", ["authorizationUrl": authorizationURL, "scopes": scopes])
            }
            return ["type": "oauth2", "flows": .object(JSONObject([flow]))]
        }
    }

    /// `#/definitions/X` → `#/components/schemas/X` everywhere.
    private static func rewriteReferences(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.map { member -> (String, JSONValue) in
                if member.key == "$ref", let reference = member.value.stringValue, reference.hasPrefix("#/definitions/") {
                    return (member.key, .string("#/components/schemas/" + reference.dropFirst("#/definitions/".count)))
                }
                return (member.key, rewriteReferences(member.value))
            }))
        case .array(let items):
            return .array(items.map(rewriteReferences))
        default:
            return value
        }
    }
}
