// `response_path`: which part of a JSON response to return, as a dot path with array indices:
// `data.items`, `results[0].name`, `items[*].title` (every element), `list[-1]` (the last element).

import MCPProtocol

/// A parsed response path.
public struct ResponsePath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
        case every
    }

    public let steps: [Step]
    public let source: String

    public var description: String { source }

    /// nil for malformed text (empty step, unclosed or non-numeric bracket).
    public init?(_ text: String) {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            // The key before any brackets ("items" in "items[0]"); a path may also start with a bracket.
            if let bracket = rest.firstIndex(of: "[") {
                let key = rest[..<bracket]
                if !key.isEmpty { steps.append(.key(String(key))) }
                rest = rest[bracket...]
                while !rest.isEmpty {
                    guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
                    let inside = rest[rest.index(after: rest.startIndex)..<close]
                    if inside == "*" {
                        steps.append(.every)
                    } else if let index = Int(inside) {
                        steps.append(.index(index))
                    } else {
                        return nil
                    }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                guard !rest.isEmpty else { return nil }
                steps.append(.key(String(rest)))
            }
        }
        guard !steps.isEmpty else { return nil }
        self.steps = steps
        source = text
    }

    /// The value at this path, or nil when a step does not match. A numeric key also indexes an array.
    public func extract(from value: JSONValue) -> JSONValue? {
        ResponsePath.walk(value, steps[...])
    }

    private static func walk(_ value: JSONValue, _ steps: ArraySlice<Step>) -> JSONValue? {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch (step, value) {
        case (.key(let key), .object(let object)):
            return object[key].flatMap { walk($0, rest) }
        case (.key(let key), .array(let items)):
            guard let index = Int(key) else { return nil }
            return element(items, index).flatMap { walk($0, rest) }
        case (.index(let index), .array(let items)):
            return element(items, index).flatMap { walk($0, rest) }
        case (.every, .array(let items)):
            return .array(items.compactMap { walk($0, rest) })
        default:
            return nil
        }
    }

    private static func element(_ items: [JSONValue], _ index: Int) -> JSONValue? {
        let position = index < 0 ? items.count + index : index
        return items.indices.contains(position) ? items[position] : nil
    }
}
