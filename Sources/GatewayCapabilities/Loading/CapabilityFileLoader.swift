// Entry points for reading capability files: parse text, or read one file from disk. Each file is
// independent, so one broken file never stops the others from loading.

import Foundation
import Yams

/// What loading one file produced: the capability when there was no error, and every problem found.
public struct CapabilityLoadResult: Sendable, Equatable {
    public var definition: CapabilityDefinition?
    public var problems: [CapabilityProblem]
    /// The environment variables and files the file names, checked against a `SecretPolicy` by the catalog.
    public var secretReferences: [SecretReference] = []

    public var errors: [CapabilityProblem] { problems.filter(\.isError) }
    public var warnings: [CapabilityProblem] { problems.filter { !$0.isError } }
}

public enum CapabilityFileLoader {
    /// Files larger than this are refused: a capability is a page of YAML, not a data set.
    public static let maxFileSize = 1 << 20

    public static func parse(yaml: String, path: String) -> CapabilityLoadResult {
        let root: Node?
        do {
            // No implicit tags: YAMLValue applies the YAML 1.2 core rules to the text itself.
            root = try Yams.compose(yaml: yaml, .basic)
        } catch {
            return CapabilityLoadResult(definition: nil, problems: [syntaxProblem(error, path: path)])
        }
        var decoder = CapabilityDecoder(file: path)
        let definition = decoder.decodeDocument(root)
        return CapabilityLoadResult(definition: definition, problems: decoder.problems,
                                    secretReferences: decoder.secretReferences)
    }

    public static func load(path: String) -> CapabilityLoadResult {
        let fail = { (message: String) in
            CapabilityLoadResult(definition: nil, problems: [CapabilityProblem(path: path, line: 0, message: message)])
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return fail("cannot read the file")
        }
        if let size = attributes[.size] as? Int, size > maxFileSize {
            return fail("the file is larger than \(maxFileSize / 1024) KiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else { return fail("cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { return fail("the file is not valid UTF-8") }
        return parse(yaml: text, path: path)
    }

    /// A YAML syntax error at the line and column libyaml reports.
    private static func syntaxProblem(_ failure: any Error, path: String) -> CapabilityProblem {
        guard let yamlError = failure as? YamlError else {
            return CapabilityProblem(path: path, line: 1, message: "invalid YAML: \(failure)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let note = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return CapabilityProblem(path: path, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(note)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return CapabilityProblem(path: path, line: context.mark.line, column: context.mark.column,
                                     message: "duplicate key \(keys) in the same mapping")
        default:
            return CapabilityProblem(path: path, line: 1, message: "invalid YAML: \(yamlError)")
        }
    }
}
