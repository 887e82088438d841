// `import -o FILE` when FILE exists: the imported servers are added to its `backends:` as text
// (YAMLMerge), skipping servers it already has and names it already uses. The result is checked
// with the config loader before anything is written: an import must not break a working config.

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayImport

enum ImportMerge {
    struct Outcome {
        var text: String
        var result: ImportResult
    }

    /// The merged file's text and what was added; nothing is written here.
    static func merge(into path: String, found: ImportSources.Found, keepSecrets: Bool) throws -> Outcome {
        let original = try UserFiles.read(path)
        guard let declared = DeclaredBackends.read(yaml: original) else {
            throw ValidationError("\(path): cannot find its backends (not YAML, or 'backends' is not a mapping); run `mcp-gateway config validate \(path)`")
        }
        let existing = declared.map { ExistingBackend(name: $0.name, argv: $0.argv, url: $0.url) }
        let result = BackendsYAML.render(found.servers, keepSecrets: keepSecrets, workspaceFolder: found.project,
                                         sources: found.sources, notes: found.notes, existing: existing)
        guard !result.backendNames.isEmpty else { return Outcome(text: original, result: result) }
        let comment = ["# Imported by mcp-gateway import from " + found.sources.joined(separator: ", ")] + result.variableComment
        let merged: String
        do {
            merged = try YAMLMerge.merge(existing: original, entries: result.entryLines, comment: comment, path: path)
        } catch {
            throw ValidationError("\(error)")
        }
        try checkNothingBroke(original: original, merged: merged, path: path, variables: result.variables.map(\.name))
        return Outcome(text: merged, result: result)
    }

    /// Refuses a merge whose file has a problem the original did not (variables the import asks
    /// for count as set: they are the user's to set next).
    private static func checkNothingBroke(original: String, merged: String, path: String, variables: [String]) throws {
        var environment = ProcessInfo.processInfo.environment
        for name in variables where environment[name] == nil { environment[name] = "set-later" }
        func problems(_ text: String) -> Set<String> {
            Set(ConfigLoader.parse(yaml: text, file: path, environment: environment).errors.map { "\($0.path): \($0.message)" })
        }
        let introduced = problems(merged).subtracting(problems(original))
        guard introduced.isEmpty else {
            throw ValidationError("the merged \(path) would not load, so nothing was written:\n" + introduced.sorted().joined(separator: "\n"))
        }
    }
}
