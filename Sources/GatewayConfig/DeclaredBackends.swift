// The backends a gateway.yaml declares, read without validating or expanding anything: what
// `import` needs to merge into an existing file (names to avoid, servers already there) even
// when the file refers to variables this shell does not set.

import Yams

public struct DeclaredBackend: Sendable, Equatable {
    public var name: String
    /// The program and its arguments, for a `command` backend.
    public var argv: [String]?
    /// The URL, for an `http_url` backend.
    public var url: String?
}

public enum DeclaredBackends {
    /// The entries of `backends:` in file order; nil when the text is not YAML or `backends` is
    /// not a mapping (an empty or absent section is an empty list).
    public static func read(yaml: String) -> [DeclaredBackend]? {
        let document: Node?
        do { document = try Yams.compose(yaml: yaml, .basic) } catch { return nil }
        guard let root = document else { return [] }
        guard case .mapping = root, let top = root.mappingPairsMergingKeys else { return nil }
        guard let section = top.first(where: { $0.key.string == "backends" })?.value else { return [] }
        if section.isNull { return [] }
        guard case .mapping = section, let pairs = section.mappingPairsMergingKeys else { return nil }
        return pairs.map { key, value in
            var backend = DeclaredBackend(name: key.string)
            for (field, setting) in value.mappingPairsMergingKeys ?? [] {
                switch (field.string, setting) {
                case ("command", .scalar(let scalar)): backend.argv = try? commandLineSplit(scalar.string)
                case ("command", .sequence(let words)): backend.argv = words.compactMap(\.scalar?.string)
                case ("http_url", .scalar(let scalar)): backend.url = scalar.string
                default: continue
                }
            }
            return backend
        }
    }
}
