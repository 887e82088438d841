// Recursive schemas (a tree node whose children are tree nodes) cannot be inlined. Before the document
// is dereferenced, each reference that closes a cycle among the component schemas is replaced by an
// empty schema with a note, so every operation can still be imported (with a shallower schema there).

import MCPProtocol

enum ReferenceCycleBreaker {
    static let prefix = "#/components/schemas/"

    static func breakCycles(in document: JSONValue) -> (document: JSONValue, cut: [String]) {
        guard let schemas = document["components"]?["schemas"]?.objectValue else { return (document, []) }
        var edges: [String: Set<String>] = [:]
        for member in schemas.members { edges[member.key] = references(in: member.value) }
        // Depth-first search; an edge to a schema on the stack is a back edge, which closes a cycle.
        var backEdges = Set<Edge>()
        var state: [String: Bool] = [:]  // false: on the stack, true: done
        func visit(_ name: String) {
            state[name] = false
            for target in (edges[name] ?? []).sorted() {
                switch state[target] {
                case .some(false): backEdges.insert(Edge(from: name, to: target))
                case .none where edges[target] != nil: visit(target)
                default: break
                }
            }
            state[name] = true
        }
        for member in schemas.members where state[member.key] == nil { visit(member.key) }
        guard !backEdges.isEmpty else { return (document, []) }
        var newSchemas = JSONObject()
        for member in schemas.members {
            let cutTargets = Set(backEdges.filter { $0.from == member.key }.map(\.to))
            newSchemas[member.key] = cutTargets.isEmpty ? member.value : replacing(cutTargets, in: member.value)
        }
        var components = document["components"]?.objectValue ?? JSONObject()
        components["schemas"] = .object(newSchemas)
        var root = document.objectValue ?? JSONObject()
        root["components"] = .object(components)
        return (.object(root), backEdges.map { "\($0.from) → \($0.to)" }.sorted())
    }

    private struct Edge: Hashable {
        let from: String
        let to: String
    }

    private static func references(in value: JSONValue) -> Set<String> {
        switch value {
        case .object(let object):
            var found = Set<String>()
            for member in object.members {
                if member.key == "$ref", let reference = member.value.stringValue, reference.hasPrefix(prefix) {
                    found.insert(String(reference.dropFirst(prefix.count)))
                } else {
                    found.formUnion(references(in: member.value))
                }
            }
            return found
        case .array(let items):
            return items.reduce(into: Set()) { $0.formUnion(references(in: $1)) }
        default:
            return []
        }
    }

    private static func replacing(_ targets: Set<String>, in value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            if let reference = object["$ref"]?.stringValue, reference.hasPrefix(prefix),
               targets.contains(String(reference.dropFirst(prefix.count))) {
                return ["description": .string("(recursive: a \(reference.dropFirst(prefix.count)) object)")]
            }
            return .object(JSONObject(object.members.map { ($0.key, replacing(targets, in: $0.value)) }))
        case .array(let items):
            return .array(items.map { replacing(targets, in: $0) })
        default:
            return value
        }
    }
}
