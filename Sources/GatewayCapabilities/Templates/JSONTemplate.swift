// A JSON body (or GraphQL variables) template: JSON whose strings are templates. A string that is exactly
// `{name}` becomes the argument's JSON value with its type (number, boolean, array, object); a missing
// optional argument drops the key. Other strings are rendered as text.

import MCPProtocol

/// A JSON value with template strings.
public indirect enum JSONTemplate: Sendable, Equatable {
    /// A non-string value, sent as written.
    case constant(JSONValue)
    case text(Template)
    case array([JSONTemplate])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONTemplate
    }

    public var argumentNames: Set<String> {
        switch self {
        case .constant: return []
        case .text(let template): return template.argumentNames
        case .array(let items): return items.reduce(into: Set()) { $0.formUnion($1.argumentNames) }
        case .object(let members): return members.reduce(into: Set()) { $0.formUnion($1.value.argumentNames) }
        }
    }

    var environmentNames: [String] {
        switch self {
        case .constant: return []
        case .text(let template): return template.environmentNames
        case .array(let items): return items.flatMap(\.environmentNames)
        case .object(let members): return members.flatMap(\.value.environmentNames)
        }
    }

    /// Parses every string of a JSON value as a template; the first syntax error wins.
    static func parse(_ value: JSONValue) -> Result<JSONTemplate, TemplateSyntaxError> {
        switch value {
        case .string(let text):
            return Template.parse(text).map { .text($0) }
        case .array(let items):
            var parsed: [JSONTemplate] = []
            for item in items {
                switch parse(item) {
                case .success(let template): parsed.append(template)
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(.array(parsed))
        case .object(let object):
            var members: [Member] = []
            for member in object.members {
                switch parse(member.value) {
                case .success(let template): members.append(Member(key: member.key, value: template))
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(.object(members))
        default:
            return .success(.constant(value))
        }
    }
}
