// Expands `${VAR}` and `${VAR:-default}` in config strings from an environment passed in (tests stay hermetic).
// `$$` is the escape: it always stands for one literal `$`, so `$${HOME}` yields the text `${HOME}`.

/// One problem met while expanding a string.
enum EnvironmentExpansionProblem: Equatable, Sendable {
    /// `${NAME}` with NAME unset and no default.
    case unsetVariable(String)
    /// `${...}` whose inside is not `NAME` or `NAME:-default`.
    case invalidReference(String)
    /// `${` without its closing `}`.
    case unterminatedReference(String)

    var message: String {
        switch self {
        case .unsetVariable(let name):
            return "environment variable '\(name)' is not set; set it or give a default with ${\(name):-default}"
        case .invalidReference(let text):
            return "invalid variable reference '\(text)'; use ${NAME} or ${NAME:-default}, where NAME matches [A-Za-z_][A-Za-z0-9_]*, or write $$ for a literal $"
        case .unterminatedReference(let text):
            return "unterminated variable reference '\(text)' (missing '}'); write $$ for a literal $"
        }
    }
}

/// Expands variable references in config text.
///
/// Grammar: `$$` is a literal `$`; `${NAME}` is NAME's value; `${NAME:-default}` is NAME's value if it is set and
/// not empty, else `default` (which may itself contain references, expanded only when used); any other `$`
/// is literal. NAME matches `[A-Za-z_][A-Za-z0-9_]*`.
struct EnvironmentExpander {
    let environment: [String: String]

    /// The expanded text and every problem found; the text is meaningless when problems is not empty.
    func expand(_ text: String) -> (value: String, problems: [EnvironmentExpansionProblem]) {
        guard text.contains("$") else { return (text, []) }
        var scanner = Scanner(characters: Array(text), environment: environment)
        let value = scanner.expandUntilEnd(evaluating: true, insideDefault: false)
        return (value, scanner.problems)
    }

    private struct Scanner {
        let characters: [Character]
        let environment: [String: String]
        var index = 0
        var problems: [EnvironmentExpansionProblem] = []

        init(characters: [Character], environment: [String: String]) {
            self.characters = characters
            self.environment = environment
        }

        /// Expands up to the end of text, or, inside a default, up to its closing `}` (left unconsumed).
        /// When `evaluating` is false the text is only scanned, so that an unused default cannot fail.
        mutating func expandUntilEnd(evaluating: Bool, insideDefault: Bool) -> String {
            var output = ""
            while index < characters.count {
                let character = characters[index]
                if insideDefault, character == "}" { return output }
                guard character == "$", index + 1 < characters.count else {
                    output.append(character)
                    index += 1
                    continue
                }
                switch characters[index + 1] {
                case "$":
                    output.append("$")
                    index += 2
                case "{":
                    output += expandReference(evaluating: evaluating)
                default:
                    output.append(character)
                    index += 1
                }
            }
            return output
        }

        /// Expands the `${...}` starting at `index`.
        private mutating func expandReference(evaluating: Bool) -> String {
            let start = index
            index += 2
            let nameStart = index
            while index < characters.count, isNameCharacter(characters[index]) { index += 1 }
            let name = String(characters[nameStart..<index])
            let nameIsValid = !name.isEmpty && !(characters[nameStart].isASCIIDigit)

            if index < characters.count, characters[index] == "}", nameIsValid {
                index += 1
                guard evaluating else { return "" }
                if let value = environment[name] { return value }
                problems.append(.unsetVariable(name))
                return ""
            }
            if nameIsValid, index + 1 < characters.count, characters[index] == ":", characters[index + 1] == "-" {
                index += 2
                let value = evaluating ? environment[name] : nil
                let useDefault = evaluating && (value ?? "").isEmpty
                let fallback = expandUntilEnd(evaluating: useDefault, insideDefault: true)
                guard index < characters.count else {
                    problems.append(.unterminatedReference(String(characters[start...].prefix(40))))
                    return ""
                }
                index += 1
                return useDefault ? fallback : (value ?? "")
            }
            // Not a reference we understand: report the whole `${...}` (or the rest of the text if unclosed).
            guard let close = characters[start...].firstIndex(of: "}") else {
                problems.append(.unterminatedReference(String(characters[start...].prefix(40))))
                index = characters.count
                return ""
            }
            problems.append(.invalidReference(String(characters[start...close])))
            index = close + 1
            return ""
        }

        private func isNameCharacter(_ character: Character) -> Bool {
            character == "_" || character.isASCIILetter || character.isASCIIDigit
        }
    }
}
