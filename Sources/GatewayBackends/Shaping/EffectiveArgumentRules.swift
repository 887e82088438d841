// The `arguments` rules of one tool, merged: what its schema loses or gains before clients see
// it, and what a call's arguments become before the backend gets them. A fixed argument and a
// hidden one leave the schema (and `required`); a defaulted one stays, shows its `default`, and
// is no longer required. A call loses what the client sent for hidden or fixed arguments, gets
// the defaults it left out, then the fixed values.

import GatewayConfig
import MCPProtocol

public struct EffectiveArgumentRules: Sendable, Equatable {
    public private(set) var defaults = JSONObject()
    public private(set) var fixed = JSONObject()
    public private(set) var hidden: [String] = []

    public init() {}

    /// Adds a later rule: its values override earlier ones for the same argument.
    mutating func add(_ rule: ArgumentRule) {
        for member in rule.defaults.members {
            defaults[member.key] = member.value
            fixed[member.key] = nil
        }
        for member in rule.fixed.members {
            fixed[member.key] = member.value
            defaults[member.key] = nil
        }
        for name in rule.hide where !hidden.contains(name) { hidden.append(name) }
    }

    /// Not in the client's schema at all.
    private func isRemoved(_ name: String) -> Bool { fixed[name] != nil || hidden.contains(name) }

    /// The input schema clients see, and the required arguments hidden with no value to send
    /// instead (every call would fail: worth a warning).
    func shapeSchema(_ schema: RawJSON) -> (schema: RawJSON, unsatisfiedRequired: [String]) {
        guard case .object(var object)? = try? schema.parsed() else { return (schema, []) }
        var unsatisfied: [String] = []
        if case .object(let properties)? = object["properties"] {
            var kept = JSONObject()
            for member in properties.members where !isRemoved(member.key) {
                var property = member.value
                if let value = defaults[member.key], case .object(var fields) = property {
                    fields["default"] = value
                    property = .object(fields)
                }
                kept[member.key] = property
            }
            object["properties"] = .object(kept)
        }
        if let required = object["required"]?.arrayValue {
            let names = required.compactMap(\.stringValue)
            unsatisfied = names.filter { hidden.contains($0) && fixed[$0] == nil && defaults[$0] == nil }
            let remaining = names.filter { !isRemoved($0) && defaults[$0] == nil }
            object["required"] = remaining.isEmpty ? nil : .array(remaining.map(JSONValue.string))
        }
        return (RawJSON(JSONWriter.encode(.object(object))), unsatisfied)
    }

    /// A call's arguments as the backend gets them; the bytes unchanged when they are not a JSON
    /// object (the backend answers for those) or when no rule changes anything.
    public func shapeArguments(_ bytes: [UInt8]) -> [UInt8] {
        let parsed: JSONValue
        if bytes.isEmpty {
            parsed = .object(JSONObject())
        } else {
            guard let value = try? JSONParser.parse(bytes) else { return bytes }
            parsed = value.isNull ? .object(JSONObject()) : value
        }
        guard case .object(let sent) = parsed else { return bytes }
        var out = JSONObject()
        for member in sent.members where !isRemoved(member.key) { out[member.key] = member.value }
        for member in defaults.members where out[member.key] == nil { out[member.key] = member.value }
        for member in fixed.members { out[member.key] = member.value }
        if out == sent, !bytes.isEmpty { return bytes }
        return JSONWriter.encode(.object(out))
    }
}
