// `x-mcp-header` annotations of a tool's input schema (2026-07-28): which arguments an HTTP
// client mirrors into `Mcp-Param-<token>` headers, and whether the annotations are valid at
// all (a client must not call a tool whose annotations are invalid).

import Foundation
import MCPProtocol

public struct ParamHeaderMap: Sendable, Equatable {
    /// Argument path (a chain of `properties` keys) and the header token it is mirrored into.
    public var entries: [(path: [String], token: String)]

    public static let annotationKey = "x-mcp-header"
    public static let headerPrefix = "Mcp-Param-"

    public static func == (lhs: ParamHeaderMap, rhs: ParamHeaderMap) -> Bool {
        lhs.entries.map { $0.path + [$0.token] } == rhs.entries.map { $0.path + [$0.token] }
    }

    /// The annotations of `schema`, or why they are invalid.
    public static func parse(schema: JSONValue) -> Result<ParamHeaderMap, InvalidAnnotation> {
        var entries: [(path: [String], token: String)] = []
        var seen: [String: String] = [:]
        // (properties path or nil once another applicator was crossed, schema)
        var stack: [([String]?, JSONValue)] = [([], schema)]
        while let (path, node) = stack.popLast() {
            guard let object = node.objectValue else { continue }
            if let annotation = object[annotationKey] {
                guard let path, !path.isEmpty else {
                    return .failure(InvalidAnnotation("\(annotationKey) at a position not reachable through 'properties' alone"))
                }
                let where_ = path.joined(separator: ".")
                guard let token = annotation.stringValue, isToken(token) else {
                    return .failure(InvalidAnnotation("property '\(where_)': \(annotationKey) must be an RFC 9110 token"))
                }
                guard let type = object["type"]?.stringValue, ["integer", "string", "boolean"].contains(type) else {
                    return .failure(InvalidAnnotation("property '\(where_)': \(annotationKey) is only allowed on integer, string or boolean properties"))
                }
                if let other = seen[token.lowercased()] {
                    return .failure(InvalidAnnotation("\(annotationKey) '\(token)' on '\(where_)' duplicates the one on '\(other)'"))
                }
                seen[token.lowercased()] = where_
                entries.append((path, token))
            }
            for (key, value) in object.members {
                switch key {
                case "properties":
                    for (name, sub) in value.objectValue?.members ?? [] { stack.append((path.map { $0 + [name] }, sub)) }
                case "items", "contains", "unevaluatedItems", "additionalProperties", "propertyNames",
                     "unevaluatedProperties", "not", "if", "then", "else", "contentSchema":
                    stack.append((nil, value))
                case "allOf", "anyOf", "oneOf", "prefixItems":
                    for sub in value.arrayValue ?? [] { stack.append((nil, sub)) }
                case "patternProperties", "dependentSchemas", "$defs", "definitions":
                    for (_, sub) in value.objectValue?.members ?? [] { stack.append((nil, sub)) }
                default:
                    continue
                }
            }
        }
        entries.sort { $0.token < $1.token }
        return .success(ParamHeaderMap(entries: entries))
    }

    /// The `Mcp-Param-*` headers for one call's arguments: absent or null values send none.
    public func headers(arguments: JSONValue?) -> [(name: String, value: String)] {
        entries.compactMap { entry in
            var node = arguments
            for key in entry.path { node = node?[key] }
            let rendered: String
            switch node {
            case .string(let s)?: rendered = s
            case .int(let i)?: rendered = String(i)
            case .double(let d)?: rendered = abs(d) < 1e15 ? Int(exactly: d).map { String($0) } ?? String(d) : String(d)
            case .bool(let b)?: rendered = b ? "true" : "false"
            default: return nil
            }
            return (Self.headerPrefix + entry.token, Self.headerValue(rendered))
        }
    }

    /// Header-safe ASCII passes as is; anything else (or what looks like the sentinel) is
    /// sent as `=?base64?…?=`, as the spec asks.
    public static func headerValue(_ value: String) -> String {
        let safe = value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
            && value.first != " " && value.last != " "
            && !(value.hasPrefix("=?base64?") && value.hasSuffix("?="))
        return safe ? value : "=?base64?" + Data(value.utf8).base64EncodedString() + "?="
    }

    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return true
            default:
                return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }

    public struct InvalidAnnotation: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
