// Applies a capability's `transform` to a JSON response: keep the projected fields, rename keys, hide
// redacted fields and patterns. Objects are transformed directly; arrays element by element.

import MCPProtocol

struct ResponseTransformer {
    let transform: ResponseTransform
    static let redactedMarker = "[REDACTED]"

    func apply(_ value: JSONValue) -> JSONValue {
        var result = value
        if !transform.project.isEmpty { result = eachObject(result, project) }
        if !transform.rename.isEmpty { result = eachObject(result, rename) }
        for rule in transform.redact {
            switch rule {
            case .field(let name): result = redactField(name.lowercased(), in: result)
            case .pattern(let pattern, let replacement): result = mapStrings(result) { replacePattern(pattern, replacement, in: $0) }
            }
        }
        return result
    }

    /// Pattern redaction for a response that is not JSON.
    func applyToText(_ text: String) -> String {
        var result = text
        for case .pattern(let pattern, let replacement) in transform.redact {
            result = replacePattern(pattern, replacement, in: result)
        }
        return result
    }

    private func eachObject(_ value: JSONValue, _ body: (JSONObject) -> JSONObject) -> JSONValue {
        switch value {
        case .object(let object): return .object(body(object))
        case .array(let items): return .array(items.map { eachObject($0, body) })
        default: return value
        }
    }

    /// Keeps only the listed paths; `a.b` keeps `{a: {b: …}}`, a path with indices keeps its value under its text.
    private func project(_ object: JSONObject) -> JSONObject {
        var kept = JSONObject()
        for field in transform.project {
            guard let path = ResponsePath(field), let value = path.extract(from: .object(object)) else { continue }
            let keys = path.steps.compactMap { step -> String? in if case .key(let key) = step { return key } else { return nil } }
            if keys.count == path.steps.count {
                kept = setting(value, at: keys[...], in: kept)
            } else {
                kept[field] = value
            }
        }
        return kept
    }

    private func setting(_ value: JSONValue, at keys: ArraySlice<String>, in object: JSONObject) -> JSONObject {
        guard let key = keys.first else { return object }
        var result = object
        if keys.count == 1 {
            result[key] = value
        } else {
            let inner = result[key]?.objectValue ?? JSONObject()
            result[key] = .object(setting(value, at: keys.dropFirst(), in: inner))
        }
        return result
    }

    private func rename(_ object: JSONObject) -> JSONObject {
        var result = JSONObject()
        for member in object.members {
            let newName = transform.rename.first { $0.from == member.key }?.to ?? member.key
            result[newName] = member.value
        }
        return result
    }

    private func redactField(_ name: String, in value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var result = JSONObject()
            for member in object.members {
                result[member.key] = member.key.lowercased() == name ? .string(Self.redactedMarker) : redactField(name, in: member.value)
            }
            return .object(result)
        case .array(let items):
            return .array(items.map { redactField(name, in: $0) })
        default:
            return value
        }
    }

    private func replacePattern(_ pattern: String, _ replacement: String, in text: String) -> String {
        guard let regex = try? Regex(pattern) else { return text }
        return text.replacing(regex, with: replacement)
    }
}

/// `value` with `body` applied to every string in it (keys excluded).
func mapStrings(_ value: JSONValue, _ body: (String) -> String) -> JSONValue {
    switch value {
    case .string(let text): return .string(body(text))
    case .array(let items): return .array(items.map { mapStrings($0, body) })
    case .object(let object):
        return .object(JSONObject(object.members.map { ($0.key, mapStrings($0.value, body)) }))
    default: return value
    }
}
