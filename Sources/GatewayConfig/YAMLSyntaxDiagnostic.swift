// Turns a Yams parse failure into one diagnostic at the line and column libyaml reports.

import Yams

enum YAMLSyntaxDiagnostic {
    static func diagnostic(for failure: any Error, yaml: String, file: String) -> ConfigDiagnostic {
        let (message, line, column) = describe(failure, yaml: yaml)
        return ConfigDiagnostic(severity: .error, file: file, line: line, column: column, path: "", message: message)
    }

    private static func describe(_ failure: any Error, yaml: String) -> (message: String, line: Int, column: Int) {
        guard let yamlError = failure as? YamlError else {
            return ("invalid YAML: \(failure)", 1, 1)
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let contextNote = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ("invalid YAML: \(problem)\(contextNote)", mark.line, mark.column)
        case .reader(let problem, let offset, _, _):
            let (line, column) = offset.map { lineAndColumn(ofCharacterOffset: $0, in: yaml) } ?? (1, 1)
            return ("invalid YAML: \(problem)", line, column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            return ("duplicate \(noun) \(keys) in the same mapping", context.mark.line, context.mark.column)
        default:
            return ("invalid YAML: \(yamlError)", 1, 1)
        }
    }

    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
