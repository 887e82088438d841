// Reads a backend's `command`: a string split into argv like a shell would (but never run by one),
// or a YAML list of arguments taken as they are.

import Yams

extension ConfigDecoder {
    mutating func commandArgv(_ node: Node, path: String) -> [String]? {
        switch node {
        case .sequence:
            guard let items = stringList(node, path: path) else { return nil }
            guard let first = items.first, !first.value.isEmpty else {
                error("'\(path)' must start with the program to run", at: node.mark, path: path)
                return nil
            }
            return items.map(\.value)
        case .scalar:
            guard let text = string(node, path: path) else { return nil }
            let words: [String]
            do {
                words = try commandLineSplit(text)
            } catch let splitError {
                error("cannot split '\(path)' into arguments: \(splitError)", at: node.mark, path: path)
                return nil
            }
            guard let first = words.first, !first.isEmpty else {
                error("'\(path)' must start with the program to run", at: node.mark, path: path)
                return nil
            }
            if let shellOperator = words.first(where: { Self.shellOperators.contains($0) }) {
                warning("'\(path)' contains '\(shellOperator)', which is passed to the program as an argument "
                        + "because no shell runs the command; use [\"sh\", \"-c\", \"...\"] if you need one",
                        at: node.mark, path: path)
            }
            return words
        default:
            error("expected a command string or a list of arguments for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return nil
        }
    }

    private static let shellOperators: Set<String> = ["|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1"]
}
