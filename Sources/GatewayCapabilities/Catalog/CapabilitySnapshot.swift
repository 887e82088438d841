// One consistent view of the loaded capabilities: what `tools`, `problems` and `call` read. Built from
// the loaded files whenever one changes, and swapped whole.

import GatewayConfig
import MCPProtocol

/// One loaded file: its version and what loading it gave.
struct LoadedCapabilityFile: Sendable {
    let path: String
    let signature: FileSignature?
    let result: CapabilityLoadResult
    /// True for the starter pack, which any configured directory may override.
    let isStarterPack: Bool
}

struct CapabilitySnapshot: Sendable {
    var definitions: [CapabilityDefinition] = []
    var byName: [String: Int] = [:]
    var tools: [ToolDefinition] = []
    /// Names of the tools that come from the starter pack (not replaced by a configured file).
    var builtInTools: Set<String> = []
    var problems: [CapabilityProblem] = []

    static let empty = CapabilitySnapshot()

    /// Starter-pack files first, then the configured directories in order; a configured file replaces a
    /// starter-pack capability of the same name, and a later configured duplicate is reported and skipped.
    init(files: [LoadedCapabilityFile], extraProblems: [CapabilityProblem] = []) {
        problems = extraProblems
        var origin: [String: LoadedCapabilityFile] = [:]
        for file in files {
            problems += file.result.problems
            guard let definition = file.result.definition else { continue }
            if let index = byName[definition.name], let first = origin[definition.name] {
                if first.isStarterPack, !file.isStarterPack {
                    definitions[index] = definition
                    origin[definition.name] = file
                } else {
                    problems.append(CapabilityProblem(
                        path: file.path, line: definition.sourceLine,
                        message: "duplicate capability name '\(definition.name)' (already defined in \(first.path):\(definitions[index].sourceLine)); this file is ignored"))
                }
                continue
            }
            byName[definition.name] = definitions.count
            origin[definition.name] = file
            definitions.append(definition)
        }
        tools = definitions.map(CapabilityToolBuilder.tool)
        builtInTools = Set(definitions.filter { origin[$0.name]?.isStarterPack == true }.map(\.name))
    }

    init() {}

    func definition(named name: String) -> CapabilityDefinition? {
        byName[name].map { definitions[$0] }
    }
}
