// `backends.NAME.roots`: a list of `file://` URIs, each a string or a mapping {uri, name}.

import Yams

extension ConfigDecoder {
    mutating func backendRoots(_ node: Node, path: String) -> [BackendRoot]? {
        guard case .sequence(let sequence) = node else {
            error("expected a list of file:// URIs (or {uri, name} mappings) for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return nil
        }
        var roots: [BackendRoot] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            var uri: String?
            var name: String?
            var uriMark = item.mark
            if case .mapping = item, let pairs = item.mappingPairsMergingKeys {
                for (key, value) in pairs {
                    switch key.string {
                    case "uri":
                        uri = string(value, path: "\(itemPath).uri")
                        uriMark = value.mark
                    case "name": name = string(value, path: "\(itemPath).name")
                    default:
                        error("unknown key '\(key.string)' in '\(itemPath)': a root has 'uri' and 'name'", at: key.mark,
                              path: "\(itemPath).\(key.string)")
                    }
                }
                if uri == nil {
                    error("'\(itemPath)' needs a 'uri' (a file:// URI)", at: item.mark, path: itemPath)
                }
            } else {
                uri = string(item, path: itemPath)
            }
            guard let uri else { continue }
            guard uri.hasPrefix("file://"), uri.count > "file://".count else {
                let hint = uri.hasPrefix("/") ? " (for this path: file://\(uri))" : ""
                error("'\(itemPath)' must be a file:// URI, as the MCP specification requires of roots\(hint); found '\(uri)'",
                      at: uriMark, path: itemPath)
                continue
            }
            roots.append(BackendRoot(uri: uri, name: name))
        }
        return roots
    }
}
