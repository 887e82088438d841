// Reads `examples:`: sample arguments and the request they must produce (method, url, headers, body).

import MCPProtocol
import Yams

extension CapabilityDecoder {
    mutating func exampleList(_ node: Node, path: String) -> [CapabilityExample] {
        guard case .sequence(let sequence) = node else {
            error("expected a list of examples for '\(path)', found \(kindDescription(node))", at: node.mark, path: path)
            return []
        }
        var examples: [CapabilityExample] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let entries = entries(of: item, section: .example, path: itemPath) else { continue }
            var example = CapabilityExample(arguments: .object(JSONObject()), line: item.mark?.line ?? 1)
            for entry in entries {
                switch entry.key {
                case "description":
                    example.description = string(entry.value, path: entry.path)
                case "arguments":
                    guard case .mapping = entry.value else {
                        error("expected a mapping of argument names to values for '\(entry.path)'", at: entry.value.mark, path: entry.path)
                        break
                    }
                    example.arguments = YAMLValue.json(entry.value)
                case "request":
                    readExpectedRequest(entry.value, path: entry.path, into: &example)
                default:
                    break
                }
            }
            if !entries.contains(where: { $0.key == "request" }) {
                error("'\(itemPath)' needs 'request' (the method, url, headers or body these arguments must produce)",
                      at: item.mark, path: itemPath)
            }
            examples.append(example)
        }
        return examples
    }

    private mutating func readExpectedRequest(_ node: Node, path: String, into example: inout CapabilityExample) {
        guard let entries = entries(of: node, section: .exampleRequest, path: path) else { return }
        for entry in entries {
            switch entry.key {
            case "method": example.method = string(entry.value, path: entry.path)?.uppercased()
            case "url": example.url = nonEmptyString(entry.value, path: entry.path)
            case "headers": example.headers = (textMap(entry.value, path: entry.path) ?? []).map { ($0.key, $0.value) }
            case "body": example.body = YAMLValue.json(entry.value)
            default: break
            }
        }
        if entries.isEmpty {
            error("'\(path)' needs at least one of method, url, headers, body", at: node.mark, path: path)
        }
    }
}
