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
    /// object (the backend answers for those) or when no rule changes anything. Spliced as bytes:
    /// the client's members are copied as they came (found by JSONScanner, not parsed into
    /// values), and the rules' values were encoded once (BENCHMARKS.md, "Tool shaping").
    public func shapeArguments(_ bytes: [UInt8]) -> [UInt8] {
        var members: [JSONScanner.Member] = []
        if !bytes.isEmpty, !Self.isNullLiteral(bytes) {
            guard let scanned = try? JSONScanner.members(of: bytes) else { return bytes }
            members = scanned
        }
        let missingDefaults = encodedDefaults.filter { name, _ in !members.contains { $0.key == name } }
        if encodedFixed.isEmpty, missingDefaults.isEmpty, !members.contains(where: { isRemoved($0.key) }), !bytes.isEmpty {
            return bytes
        }
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(bytes.count + 64)
        func add(_ name: String, _ value: some Collection<UInt8>) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: value)
        }
        for member in members where !isRemoved(member.key) { add(member.key, bytes[member.range]) }
        for (name, value) in missingDefaults { add(name, value) }
        for (name, value) in encodedFixed { add(name, value) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The defaults and fixed values as JSON text, encoded when the rules were merged.
    private var encodedDefaults: [(String, [UInt8])] = []
    private var encodedFixed: [(String, [UInt8])] = []

    /// Encodes the values once the rules are all added.
    mutating func encodeValues() {
        encodedDefaults = defaults.members.map { ($0.key, JSONWriter.encode($0.value)) }
        encodedFixed = fixed.members.map { ($0.key, JSONWriter.encode($0.value)) }
    }

    private static func isNullLiteral(_ bytes: [UInt8]) -> Bool {
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return trimmed.starts(with: "null".utf8)
    }

    public static func == (lhs: EffectiveArgumentRules, rhs: EffectiveArgumentRules) -> Bool {
        lhs.defaults == rhs.defaults && lhs.fixed == rhs.fixed && lhs.hidden == rhs.hidden
    }
}
