// Turns one resolved OpenAPI operation into a capability document (a JSON tree written out as YAML):
// parameters become input properties and templates, the JSON or form body becomes a body template,
// the success response schema the output schema, security requirements the auth section.

import Foundation
import MCPProtocol
import OpenAPIKit

struct OperationConverter {
    let options: OpenAPIImportOptions
    let documentTitle: String
    static let maxSchemaBytes = 16_000

    struct Skip: Error {
        let reason: String
    }

    func convert(_ endpoint: OpenAPIKit.ResolvedEndpoint, name: String) throws(Skip) -> JSONValue {
        let method = endpoint.method.rawValue.uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method) else {
            throw Skip(reason: "HTTP method \(method) is not supported")
        }
        let baseURL = try self.baseURL(endpoint.servers)
        var path = endpoint.path.rawValue
        var properties = JSONObject()
        var required: [JSONValue] = []
        var params = JSONObject()
        var headers = JSONObject()
        var used = Set<String>()
        for parameter in endpoint.parameters {
            let apiName = parameter.name
            let location = parameter.location
            if location == .cookie {
                if parameter.required { throw Skip(reason: "required cookie parameter '\(apiName)' is not supported") }
                continue
            }
            if location == .header, ["authorization", "accept", "content-type"].contains(apiName.lowercased()) { continue }
            guard location == .query || location == .header || location == .path else {
                throw Skip(reason: "parameter '\(apiName)' in \(location.rawValue) is not supported")
            }
            let property = unique(ImportNaming.propertyName(apiName), used: &used, suffix: location.rawValue)
            var schema = parameterSchema(parameter)
            if let description = parameter.description, schema["description"] == nil {
                schema = withMember(schema, "description", .string(description))
            }
            properties[property] = schema
            if parameter.required || location == .path { required.append(.string(property)) }
            switch location {
            case .path: path = path.replacingOccurrences(of: "{\(apiName)}", with: "{\(property)}")
            case .header: headers[apiName] = .string("{\(property)}")
            default: params[apiName] = .string("{\(property)}")
            }
        }
        // The path becomes a template: a `{env.NAME}` the spec left in it would send the gateway's
        // environment to the spec's server.
        if case .success(let template) = Template.parse(path), !template.environmentNames.isEmpty {
            throw Skip(reason: "the path names '{env.…}', which would read the gateway's environment")
        }
        var config = JSONObject([("base_url", .string(baseURL)), ("path", .string(path))])
        if method != "GET" { config["method"] = .string(method) }
        if headers.count > 0 { config["headers"] = .object(headers) }
        if params.count > 0 { config["params"] = .object(params) }
        if let body = endpoint.requestBody {
            try addBody(body, properties: &properties, required: &required, used: &used, config: &config)
        }
        var schema = JSONObject([("type", "object"), ("properties", .object(properties))])
        if !required.isEmpty { schema["required"] = .array(required) }
        schema["additionalProperties"] = false
        var document = JSONObject([("name", .string(name)), ("description", .string(description(endpoint, method: method)))])
        var schemas = JSONObject([("input", .object(schema))])
        if let output = outputSchema(endpoint) { schemas["output"] = output }
        document["schema"] = .object(schemas)
        document["providers"] = ["primary": ["service": "rest", "config": .object(config)]]
        if let auth = auth(endpoint.security) { document["auth"] = auth }
        var metadata = JSONObject()
        if let tag = endpoint.tags.first { metadata["category"] = .string(tag) }
        if !endpoint.tags.isEmpty { metadata["tags"] = .array(endpoint.tags.map { .string($0) }) }
        if method == "DELETE" { metadata["destructive"] = true }
        metadata["open_world"] = true
        document["metadata"] = .object(metadata)
        return .object(document)
    }

    // MARK: pieces

    private func baseURL(_ servers: [OpenAPIKit.OpenAPI.Server]) throws(Skip) -> String {
        var url: String
        if let override = options.baseURL {
            url = override
        } else if let server = servers.first {
            url = server.urlTemplate.absoluteString
            for variable in server.variables { url = url.replacingOccurrences(of: "{\(variable.key)}", with: variable.value.default) }
        } else if let spec = options.specURL, let parts = URLParts(spec) {
            url = parts.origin
        } else {
            throw Skip(reason: "the spec names no server; pass --base-url")
        }
        if url.hasPrefix("/") {
            guard let spec = options.specURL, let parts = URLParts(spec) else {
                throw Skip(reason: "the server URL '\(url)' is relative; pass --base-url")
            }
            url = parts.origin + url
        }
        while url.hasSuffix("/") { url.removeLast() }
        guard URLParts(url) != nil, !url.contains("{"), !url.contains("?") else {
            throw Skip(reason: "the server URL '\(url)' is not a usable http(s) URL; pass --base-url")
        }
        return url
    }

    private func parameterSchema(_ parameter: OpenAPIKit.DereferencedParameter) -> JSONValue {
        switch parameter.schemaOrContent {
        case .a(let context):
            return schemaJSON(context.schema)
        case .b(let content):
            return content.values.first?.schema.map(schemaJSON) ?? ["type": "string"]
        }
    }

    private func addBody(_ body: OpenAPIKit.DereferencedRequest, properties: inout JSONObject, required: inout [JSONValue],
                         used: inout Set<String>, config: inout JSONObject) throws(Skip) {
        let entries = Array(body.content)
        let json = entries.first { $0.key.rawValue.lowercased().contains("json") }
        let form = entries.first { $0.key.rawValue.lowercased().hasPrefix("application/x-www-form-urlencoded") }
        guard let chosen = json ?? form else {
            let types = entries.map(\.key.rawValue).joined(separator: ", ")
            throw Skip(reason: "request body type \(types.isEmpty ? "(none)" : types) is not supported")
        }
        if json == nil { config["body_content_type"] = "application/x-www-form-urlencoded" }
        let schema = chosen.value.schema.map(schemaJSON) ?? ["type": "object"]
        let bodyRequired = body.required
        var template = JSONObject()
        if let (members, requiredNames) = objectMembers(schema), !members.isEmpty {
            for member in members {
                let property = unique(ImportNaming.propertyName(member.key), used: &used, suffix: "body")
                properties[property] = member.value
                template[member.key] = .string("{\(property)}")
                if bodyRequired, requiredNames.contains(member.key) { required.append(.string(property)) }
            }
            config["body"] = .object(template)
        } else {
            let property = unique("body", used: &used, suffix: "payload")
            properties[property] = schema
            if bodyRequired { required.append(.string(property)) }
            config["body"] = .string("{\(property)}")
        }
    }

    /// The properties of an object schema (through allOf), or nil for other schemas.
    private func objectMembers(_ schema: JSONValue) -> (members: [(key: String, value: JSONValue)], required: Set<String>)? {
        var members: [(key: String, value: JSONValue)] = []
        var required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        if let properties = schema["properties"]?.objectValue { members += properties.members }
        for part in schema["allOf"]?.arrayValue ?? [] {
            guard let (more, moreRequired) = objectMembers(part) else { continue }
            members += more.filter { item in !members.contains { $0.key == item.key } }
            required.formUnion(moreRequired)
        }
        let isObject = schema["type"] == "object" || schema["properties"] != nil || schema["allOf"] != nil
        return isObject ? (members, required) : nil
    }

    private func outputSchema(_ endpoint: OpenAPIKit.ResolvedEndpoint) -> JSONValue? {
        let outcomes = endpoint.responseOutcomes
        let chosen = outcomes.first { $0.status.isSuccess } ?? outcomes.first { $0.status.rawValue == "default" }
        guard let content = chosen?.response.content.first(where: { $0.key.rawValue.lowercased().contains("json") }),
              let schema = content.value.schema else { return nil }
        let json = schemaJSON(schema)
        guard JSONWriter.encode(json).count <= Self.maxSchemaBytes else {
            return ["type": json["type"] ?? "object", "description": "(response schema omitted: larger than 16 KB)"]
        }
        return json
    }

    private func auth(_ requirements: [OpenAPIKit.DereferencedSecurityRequirement]) -> JSONValue? {
        guard let requirement = requirements.first(where: { !$0.schemes.isEmpty }),
              let scheme = requirement.schemes.values.sorted(by: { $0.name < $1.name }).first else { return nil }
        let optional = requirements.contains { $0.schemes.isEmpty }
        let key = JSONValue.string(options.authKey ?? "env:" + defaultSecretName)
        var auth: JSONObject
        switch scheme.securityScheme.type {
        case .apiKey(let name, let location):
            switch location {
            case .header: auth = JSONObject([("type", "api_key"), ("key", key), ("header", .string(name))])
            case .query: auth = JSONObject([("type", "api_key"), ("key", key), ("param", .string(name))])
            default: return nil
            }
        case .http(let name, _):
            auth = JSONObject([("type", name.lowercased() == "basic" ? "basic" : "bearer"), ("key", key)])
        case .oauth2, .openIdConnect:
            auth = JSONObject([("type", "bearer"), ("key", key)])
        case .mutualTLS:
            return nil
        }
        auth["required"] = .bool(!optional)
        return .object(auth)
    }

    private var defaultSecretName: String {
        let base = ImportNaming.snakeCase(options.prefix ?? documentTitle).uppercased()
        return (base.isEmpty ? "API" : String(base.prefix(40))) + "_TOKEN"
    }

    private func description(_ endpoint: OpenAPIKit.ResolvedEndpoint, method: String) -> String {
        let parts = [endpoint.endpointSummary, endpoint.endpointDescription].compactMap { $0?.trimmingBlanks() }.filter { !$0.isEmpty }
        var text = parts.reduce(into: [String]()) { list, part in if !list.contains(part) { list.append(part) } }.joined(separator: "\n\n")
        if text.isEmpty { text = "\(method) \(endpoint.path.rawValue)" }
        if text.count > 1200 { text = String(text.prefix(1200)) + "…" }
        return endpoint.deprecated ? "(deprecated) " + text : text
    }

    private func schemaJSON(_ schema: OpenAPIKit.DereferencedJSONSchema) -> JSONValue {
        guard let data = try? JSONEncoder().encode(schema.jsonSchema), let value = try? JSONParser.parse(Array(data)) else {
            return .object(JSONObject())
        }
        return value
    }

    private func withMember(_ value: JSONValue, _ key: String, _ member: JSONValue) -> JSONValue {
        var object = value.objectValue ?? JSONObject()
        object[key] = member
        return .object(object)
    }

    private func unique(_ name: String, used: inout Set<String>, suffix: String) -> String {
        var candidate = name
        if used.contains(candidate) { candidate = name + "_" + suffix }
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(name)_\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
