// Reads the top level of a capability file, then runs the checks that span sections: every placeholder
// names an input property, path placeholders always have a value, example arguments fit the schema.

import GatewayConfig
import MCPProtocol
import Yams

/// A `{name}` written in a template, remembered until the input schema is known.
struct PlaceholderUse {
    let name: String
    let mark: Mark?
    let path: String
    /// In a URL path or host: the argument must always have a value.
    let isInURL: Bool
}

extension CapabilityDecoder {
    static let namePattern = "[A-Za-z0-9_-], 1 to 64 characters"

    mutating func decodeDocument(_ root: Node?) -> CapabilityDefinition? {
        guard let root else {
            error("the file is empty; a capability needs at least 'name', 'description' and 'providers'", at: nil, path: "")
            return nil
        }
        guard let entries = entries(of: root, section: .document, path: "") else { return nil }
        var name: String?
        var nameLine = 1
        var description: String?
        var inputSchema: JSONValue = ["type": "object", "properties": .object(JSONObject())]
        var inputMark: Mark?
        var outputSchema: JSONValue?
        var providers: (primary: ProviderDefinition, fallbacks: [ProviderDefinition])?
        var auth = AuthDefinition()
        var metadata = CapabilityMetadata()
        var transform = ResponseTransform()
        var examples: [CapabilityExample] = []
        var uses: [PlaceholderUse] = []
        for entry in entries {
            switch entry.key {
            case "fulcrum":
                if case .scalar = entry.value {} else {
                    error("expected a version like \"1.0\" for 'fulcrum'", at: entry.value.mark, path: entry.path)
                }
            case "name":
                name = capabilityName(entry.value, path: entry.path)
                nameLine = entry.value.mark?.line ?? 1
            case "description":
                description = nonEmptyString(entry.value, path: entry.path)
            case "schema":
                guard let schemaEntries = self.entries(of: entry.value, section: .schema, path: entry.path) else { break }
                for schemaEntry in schemaEntries {
                    guard case .mapping = schemaEntry.value else {
                        error("expected a JSON Schema mapping for '\(schemaEntry.path)', found \(kindDescription(schemaEntry.value))",
                              at: schemaEntry.value.mark, path: schemaEntry.path)
                        continue
                    }
                    if schemaEntry.key == "input" {
                        inputSchema = YAMLValue.json(schemaEntry.value)
                        inputMark = schemaEntry.value.mark
                    } else {
                        outputSchema = YAMLValue.json(schemaEntry.value)
                    }
                }
            case "providers":
                providers = providerSet(entry.value, path: entry.path, uses: &uses)
            case "auth":
                auth = authDefinition(entry.value, path: entry.path)
            case "metadata":
                metadata = capabilityMetadata(entry.value, path: entry.path)
            case "transform":
                transform = responseTransform(entry.value, path: entry.path)
            case "examples":
                examples = exampleList(entry.value, path: entry.path)
            default:
                break
            }
        }
        let present = Set(entries.map(\.key))
        // A misspelled key ('provider') was already reported with a suggestion; do not also say it is missing.
        let writtenKeys = root.mapping?.keys.compactMap(\.string) ?? []
        let suggested = Set(writtenKeys.compactMap { key in
            CapabilitySection.document.allKeys.contains(key) ? nil : closestSuggestion(for: key, among: CapabilitySection.document.allKeys)
        })
        for required in ["name", "description", "providers"] where !present.contains(required) && !suggested.contains(required) {
            error("a capability needs '\(required)'", at: root.mark, path: required)
        }
        checkInputSchema(inputSchema, mark: inputMark)
        checkPlaceholders(uses, schema: inputSchema)
        checkExamples(examples, schema: inputSchema)
        sortProblems()
        guard !hasErrors, let name, let description, let providers else { return nil }
        return CapabilityDefinition(
            name: name, description: description, inputSchema: inputSchema, outputSchema: outputSchema,
            primary: providers.primary, fallbacks: providers.fallbacks, auth: auth, metadata: metadata,
            transform: transform, examples: examples, sourcePath: file, sourceLine: nameLine)
    }

    private mutating func capabilityName(_ node: Node, path: String) -> String? {
        guard let name = string(node, path: path) else { return nil }
        let isValid = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D
        }
        guard isValid else {
            error("invalid capability name '\(name)': use \(Self.namePattern) (it becomes the tool name)",
                  at: node.mark, path: path)
            return nil
        }
        return name
    }

    private mutating func checkInputSchema(_ schema: JSONValue, mark: Mark?) {
        if let type = schema["type"], type != .string("object") {
            error("'schema.input' must describe an object (type: object), found type \(JSONWriter.encodeString(type))",
                  at: mark, path: "schema.input")
        }
        if let properties = schema["properties"], properties.objectValue == nil {
            error("'schema.input.properties' must be a mapping of argument names to schemas", at: mark, path: "schema.input.properties")
        }
        for required in schema["required"]?.arrayValue ?? [] {
            guard let name = required.stringValue, schema["properties"]?[name] == nil else { continue }
            error("'schema.input.required' lists '\(name)', which is not in 'schema.input.properties'",
                  at: mark, path: "schema.input.required")
        }
    }

    private mutating func checkPlaceholders(_ uses: [PlaceholderUse], schema: JSONValue) {
        let properties = schema["properties"]?.objectValue ?? JSONObject()
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for use in uses {
            guard let property = properties[use.name] else {
                let hint = closestSuggestion(for: use.name, among: properties.keys).map { "; did you mean '{\($0)}'?" }
                let envHint = Template.isEnvironmentName(use.name) && use.name.uppercased() == use.name
                    ? "; to read the environment variable write {env.\(use.name)}" : ""
                error("'{\(use.name)}' in '\(use.path)' is not a property of 'schema.input'" + (hint ?? envHint),
                      at: use.mark, path: use.path)
                continue
            }
            if use.isInURL, !required.contains(use.name), property["default"] == nil {
                error("'{\(use.name)}' is in the URL, so '\(use.name)' must be listed in 'schema.input.required' or have a default",
                      at: use.mark, path: use.path)
            }
        }
    }

    private mutating func checkExamples(_ examples: [CapabilityExample], schema: JSONValue) {
        let validator = SchemaValidator(schema: schema)
        for (index, example) in examples.enumerated() {
            let arguments = ArgumentDefaults.apply(schema: schema, to: example.arguments)
            for violation in validator.violations(of: arguments) {
                error("example \(index + 1): arguments do not fit 'schema.input': \(violation)", line: example.line,
                      path: "examples[\(index)].arguments")
            }
        }
    }
}
