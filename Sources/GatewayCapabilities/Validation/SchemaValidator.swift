// Checks call arguments against a capability's input JSON Schema before any request is made, so a model's
// mistake gets a precise answer ("'limit' must be at most 100") instead of an API error. Covers the
// keywords API schemas use, including allOf/anyOf/oneOf and OpenAPI 3.0's nullable.

import GatewayConfig
import MCPProtocol

/// One reason the arguments do not fit the schema.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where, as an argument path: `location.lat`, `ids[2]`; empty for the arguments object itself.
    public var path: String
    public var message: String

    public var description: String {
        path.isEmpty ? message : "'\(path)' \(message)"
    }
}

/// A validator over a parsed schema; stateless, so one can be shared.
public struct SchemaValidator: Sendable {
    public let schema: JSONValue

    public init(schema: JSONValue) {
        self.schema = schema
    }

    /// Every violation found (empty when the value is valid), capped so a huge bad array stays readable.
    public func violations(of value: JSONValue) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        check(value, against: schema, path: "", into: &found)
        return Array(found.prefix(10))
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, into found: inout [SchemaViolation]) {
        guard case .object(let rules) = schema else {
            // `false` accepts nothing; `true` and anything else accepts everything.
            if schema == .bool(false) { found.append(SchemaViolation(path: path, message: "is not allowed")) }
            return
        }
        if value.isNull, rules["nullable"]?.boolValue == true { return }
        if let types = typeNames(rules["type"]), !types.contains(where: { matches(value, type: $0) }) {
            found.append(SchemaViolation(path: path, message: "must be \(describe(types)), got \(kind(of: value))"))
            return
        }
        if let allowed = rules["enum"]?.arrayValue, !allowed.contains(where: { equal($0, value) }) {
            let shown = allowed.prefix(20).map { JSONWriter.encodeString($0) }.joined(separator: ", ")
            found.append(SchemaViolation(path: path, message: "must be one of \(shown), got \(JSONWriter.encodeString(value))"))
        }
        if let constant = rules["const"], !equal(constant, value) {
            found.append(SchemaViolation(path: path, message: "must be \(JSONWriter.encodeString(constant))"))
        }
        checkNumber(value, rules, path: path, into: &found)
        checkString(value, rules, path: path, into: &found)
        checkArray(value, rules, path: path, into: &found)
        checkObject(value, rules, path: path, into: &found)
        checkCombinations(value, rules, path: path, into: &found)
    }

    private func checkNumber(_ value: JSONValue, _ rules: JSONObject, path: String, into found: inout [SchemaViolation]) {
        guard let number = numeric(value) else { return }
        if let minimum = rules["minimum"].flatMap(numeric), number < minimum {
            found.append(SchemaViolation(path: path, message: "must be at least \(format(minimum)), got \(format(number))"))
        }
        if let maximum = rules["maximum"].flatMap(numeric), number > maximum {
            found.append(SchemaViolation(path: path, message: "must be at most \(format(maximum)), got \(format(number))"))
        }
        // Draft 4 writes exclusiveMinimum: true next to minimum; later drafts give the bound itself.
        if let bound = rules["exclusiveMinimum"] {
            let limit = bound.boolValue == true ? rules["minimum"].flatMap(numeric) : numeric(bound)
            if let limit, number <= limit {
                found.append(SchemaViolation(path: path, message: "must be greater than \(format(limit)), got \(format(number))"))
            }
        }
        if let bound = rules["exclusiveMaximum"] {
            let limit = bound.boolValue == true ? rules["maximum"].flatMap(numeric) : numeric(bound)
            if let limit, number >= limit {
                found.append(SchemaViolation(path: path, message: "must be less than \(format(limit)), got \(format(number))"))
            }
        }
        if let step = rules["multipleOf"].flatMap(numeric), step > 0 {
            let quotient = number / step
            if abs(quotient - quotient.rounded()) > 1e-9 {
                found.append(SchemaViolation(path: path, message: "must be a multiple of \(format(step))"))
            }
        }
    }

    private func checkString(_ value: JSONValue, _ rules: JSONObject, path: String, into found: inout [SchemaViolation]) {
        guard case .string(let text) = value else { return }
        let length = text.count
        if let minLength = rules["minLength"]?.intValue, length < minLength {
            found.append(SchemaViolation(path: path, message: "must be at least \(minLength) characters long, got \(length)"))
        }
        if let maxLength = rules["maxLength"]?.intValue, length > maxLength {
            found.append(SchemaViolation(path: path, message: "must be at most \(maxLength) characters long, got \(length)"))
        }
        if let pattern = rules["pattern"]?.stringValue, let regex = try? Regex(pattern), (try? regex.firstMatch(in: text)) == nil {
            found.append(SchemaViolation(path: path, message: "must match the pattern \(pattern)"))
        }
    }

    private func checkArray(_ value: JSONValue, _ rules: JSONObject, path: String, into found: inout [SchemaViolation]) {
        guard case .array(let items) = value else { return }
        if let minItems = rules["minItems"]?.intValue, items.count < minItems {
            found.append(SchemaViolation(path: path, message: "must have at least \(minItems) item\(minItems == 1 ? "" : "s"), got \(items.count)"))
        }
        if let maxItems = rules["maxItems"]?.intValue, items.count > maxItems {
            found.append(SchemaViolation(path: path, message: "must have at most \(maxItems) items, got \(items.count)"))
        }
        if rules["uniqueItems"]?.boolValue == true {
            for (index, item) in items.enumerated() where items[..<index].contains(where: { equal($0, item) }) {
                found.append(SchemaViolation(path: "\(path)[\(index)]", message: "repeats an earlier item; items must be unique"))
                break
            }
        }
        if let itemSchema = rules["items"], itemSchema.objectValue != nil || itemSchema.boolValue != nil {
            for (index, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(index)]", into: &found)
            }
        }
    }

    private func checkObject(_ value: JSONValue, _ rules: JSONObject, path: String, into found: inout [SchemaViolation]) {
        guard case .object(let object) = value else { return }
        let properties = rules["properties"]?.objectValue ?? JSONObject()
        for required in rules["required"]?.arrayValue ?? [] {
            guard let name = required.stringValue, object[name] == nil else { continue }
            found.append(SchemaViolation(path: join(path, name), message: "is required"))
        }
        for member in object.members {
            let memberPath = join(path, member.key)
            if let propertySchema = properties[member.key] {
                check(member.value, against: propertySchema, path: memberPath, into: &found)
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(false)?:
                let known = properties.keys
                let hint = closestName(member.key, among: known).map { "; did you mean '\($0)'?" } ?? ""
                let list = known.isEmpty ? "" : " (expected: \(known.joined(separator: ", ")))"
                found.append(SchemaViolation(path: memberPath, message: "is not a known argument\(list)\(hint)"))
            case .object(let additional)?:
                check(member.value, against: .object(additional), path: memberPath, into: &found)
            default:
                continue
            }
        }
        if let minProperties = rules["minProperties"]?.intValue, object.count < minProperties {
            found.append(SchemaViolation(path: path, message: "must have at least \(minProperties) properties"))
        }
    }

    private func checkCombinations(_ value: JSONValue, _ rules: JSONObject, path: String, into found: inout [SchemaViolation]) {
        for schema in rules["allOf"]?.arrayValue ?? [] {
            check(value, against: schema, path: path, into: &found)
        }
        // oneOf is checked like anyOf: a value fitting two alternatives is almost always still what the API wants.
        for keyword in ["anyOf", "oneOf"] {
            guard let alternatives = rules[keyword]?.arrayValue, !alternatives.isEmpty else { continue }
            var firstFailure: [SchemaViolation] = []
            var matched = false
            for alternative in alternatives {
                var attempt: [SchemaViolation] = []
                check(value, against: alternative, path: path, into: &attempt)
                if attempt.isEmpty { matched = true; break }
                if firstFailure.isEmpty { firstFailure = attempt }
            }
            if !matched {
                found.append(SchemaViolation(path: path, message: "does not match any allowed form (\(firstFailure.first?.message ?? "no alternative fits"))"))
            }
        }
        if let forbidden = rules["not"] {
            var attempt: [SchemaViolation] = []
            check(value, against: forbidden, path: path, into: &attempt)
            if attempt.isEmpty { found.append(SchemaViolation(path: path, message: "matches a form that is not allowed")) }
        }
    }

    // MARK: helpers

    private func typeNames(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let name)?: return [name]
        case .array(let names)?: return names.compactMap(\.stringValue)
        default: return nil
        }
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("array", .array), ("object", .object), ("null", .null):
            return true
        case ("number", .int), ("number", .double):
            return true
        case ("integer", .int):
            return true
        case ("integer", .double(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    private func describe(_ types: [String]) -> String {
        let named = types.map { type -> String in
            switch type {
            case "integer": return "an integer"
            case "object": return "an object"
            case "array": return "an array"
            case "null": return "null"
            default: return "a \(type)"
            }
        }
        return named.count == 1 ? named[0] : named.dropLast().joined(separator: ", ") + " or " + (named.last ?? "")
    }

    private func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "the boolean \(flag)"
        case .int(let number): return "the number \(number)"
        case .double(let number): return "the number \(format(number))"
        case .string(let text): return "the string \(JSONWriter.encodeString(.string(String(text.prefix(60)))))"
        case .array: return "an array"
        case .object: return "an object"
        case .raw: return "a value"
        }
    }

    private func numeric(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    private func format(_ number: Double) -> String {
        abs(number) < 1e15 ? Int(exactly: number).map { String($0) } ?? String(number) : String(number)
    }

    /// JSON equality where 1 and 1.0 are the same number.
    private func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = numeric(lhs), let right = numeric(rhs) { return left == right }
        return lhs == rhs
    }

    private func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    private func closestName(_ name: String, among names: [String]) -> String? {
        closestSuggestion(for: name, among: names)
    }
}
