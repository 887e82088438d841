// Converts YAML nodes (schemas, bodies, example arguments) to JSON values with the YAML 1.2 core rules:
// only true/false are booleans, so `NO` (Norway) or `yes` stay strings, unlike YAML 1.1.

import MCPProtocol
import Yams

enum YAMLValue {
    /// The JSON value of a node; aliases are resolved by Yams at compose time.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                object[key.string ?? ""] = json(value)
            }
            return .object(object)
        case .alias:
            return .null
        }
    }

    static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "-.inf", ".nan", ".NaN", ".NAN": return .string(text)
        default: break
        }
        if isInteger(text), let number = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) {
            return .int(number)
        }
        if text.hasPrefix("0x"), let number = Int(text.dropFirst(2), radix: 16) { return .int(number) }
        if text.hasPrefix("0o"), let number = Int(text.dropFirst(2), radix: 8) { return .int(number) }
        if isFloat(text), let number = Double(text) { return .double(number) }
        return .string(text)
    }

    private static func isInteger(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let mantissaEnd = rest.firstIndex { $0 == "e" || $0 == "E" } ?? rest.endIndex
        let mantissa = rest[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: Substring) in part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard !mantissa.isEmpty, parts.allSatisfy(isDigits), parts.contains(where: { !$0.isEmpty }) else { return false }
        guard mantissaEnd < rest.endIndex else { return true }
        var exponent = rest[rest.index(after: mantissaEnd)...]
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && isDigits(exponent)
    }
}
