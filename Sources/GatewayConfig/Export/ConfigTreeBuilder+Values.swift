// The export tree's leaves, written so that the decoder reads them back to the same value:
// strings with `$` doubled (every string value is `${VAR}`-expanded on load, keys are not),
// durations and sizes in units, unset optionals as null (which the decoder reads as absent).

import MCPProtocol

extension ConfigTreeBuilder {
    /// A `{enabled: false}` section: how a switched-off optional section is written.
    static let switchedOff = JSONValue.object(JSONObject([("enabled", .bool(false))]))

    /// A string value as gateway.yaml writes it: a literal `$` is `$$`, so that loading does
    /// not expand what was already expanded.
    func text(_ value: String) -> JSONValue {
        .string(value.replacingOccurrences(of: "$", with: "$$"))
    }

    func texts(_ values: [String]) -> JSONValue {
        .array(values.map(text))
    }

    /// A secret: its text with `showSecrets`, else the mask.
    func secret(_ value: String) -> JSONValue {
        showSecrets ? text(value) : .string(ConfigExport.maskedValue)
    }

    /// A mapping of names to secrets (env, headers), by name: the settings keep no order.
    func secrets(_ values: [String: String]) -> JSONValue {
        .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, secret($0.value)) }))
    }

    /// A mapping keyed by names the settings keep in a dictionary, sorted so the output is stable.
    func sortedObject<Value>(_ values: [String: Value], _ transform: (Value) -> JSONValue) -> JSONValue {
        .object(JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, transform($0.value)) }))
    }

    /// An unset value is null, which the decoder reads as the key left out.
    func optional<Value>(_ value: Value?, _ transform: (Value) -> JSONValue) -> JSONValue {
        value.map(transform) ?? .null
    }

    func duration(_ value: Duration) -> JSONValue {
        .string(HumanDuration.format(value))
    }

    /// A size with the largest unit that holds it exactly, or a bare number of bytes.
    func size(_ bytes: Int) -> JSONValue {
        let written = ByteSize.format(bytes)
        return written.allSatisfy(\.isASCIIDigit) ? .int(bytes) : .string(written)
    }

    func number(_ value: Double) -> JSONValue {
        .double(value)
    }

    func count(_ value: Int) -> JSONValue {
        .int(value)
    }
}
