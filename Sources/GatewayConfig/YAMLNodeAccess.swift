// Read-only helpers over Yams nodes: null detection, a short description of a node's kind for error
// messages, and mapping entries in file order with YAML merge keys (`<<: *anchor`) applied.

import Yams

/// One key of a mapping, with where it and its value were written.
struct MappingEntry {
    let key: String
    let keyMark: Mark?
    let value: Node
    /// Dotted path of the value, e.g. `backends.git.command`.
    let path: String
}

extension Node {
    /// A plain `~`, `null` or empty scalar: YAML's way of writing "no value".
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// "a mapping", "a list", "a string": what a wrong-type message says was found.
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return isNull ? "nothing (null)" : "a string"
        case .alias: return "an alias"
        }
    }

    /// The key/value pairs of a mapping in file order, merge keys expanded (explicit keys win).
    /// Nil when the mapping has a key that is not a scalar; reported by the caller.
    var mappingPairsMergingKeys: [(key: Node.Scalar, value: Node)]? {
        guard case .mapping(let mapping) = self else { return nil }
        var explicit: [(key: Node.Scalar, value: Node)] = []
        var merged: [(key: Node.Scalar, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key else { return nil }
            if keyScalar.string == "<<", keyScalar.style == .plain {
                let sources: [Node] = value.sequence.map { Array($0) } ?? [value]
                for source in sources {
                    guard let pairs = source.mappingPairsMergingKeys else { return nil }
                    merged.append(contentsOf: pairs)
                }
            } else {
                explicit.append((keyScalar, value))
            }
        }
        var seen = Set(explicit.map(\.key.string))
        var result = explicit
        for pair in merged where !seen.contains(pair.key.string) {
            seen.insert(pair.key.string)
            result.append(pair)
        }
        return result
    }
}

/// `base.key`, or `key` at the top level.
func configPath(_ base: String, _ key: String) -> String {
    base.isEmpty ? key : base + "." + key
}
