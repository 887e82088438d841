// A backend's tool shaping, compiled from its settings: which of its tools are exposed, under
// which name, with which description and input schema. The Backend shapes every list it gets
// (so the catalog, search, listings, surfaced tools and pinning see only shaped tools), and the
// call pipeline's ToolShapingStage maps a called name back with the same rules, so a name is
// callable exactly when it is listed.

import GatewayConfig
import MCPProtocol
import Synchronization

// A class: the call stage reads it off the Backend on every call, and a struct of eight
// collections would cost eight retains and releases a call (measured: BENCHMARKS.md, "Tool
// shaping").
public final class ToolShaper: Sendable {
    private let allow: [Glob]
    private let deny: [Glob]
    /// Backend name → exposed name.
    private let rename: [String: String]
    /// Exposed name → backend name, for renamed tools.
    private let renamedFrom: [String: String]
    private let descriptions: [(glob: Glob, change: DescriptionRule.Change)]
    private let arguments: [(glob: Glob, rule: ArgumentRule)]
    private let settings: ToolShapingSettings
    /// `max_result_bytes`: results longer than this are cut (ResultTruncation).
    public let maxResultBytes: Int?
    /// Some tool has argument rules: a call's arguments may need rewriting.
    public let hasArgumentRules: Bool

    /// Nil when the settings shape nothing: the backend's tools pass untouched.
    public init?(settings: ToolShapingSettings) {
        guard !settings.isEmpty else { return nil }
        self.settings = settings
        allow = settings.allow.map(Glob.init)
        deny = settings.deny.map(Glob.init)
        rename = settings.rename
        var inverse: [String: String] = [:]
        for (original, exposed) in settings.rename { inverse[exposed] = original }
        renamedFrom = inverse
        descriptions = settings.descriptions.map { (Glob($0.tool), $0.change) }
        arguments = settings.arguments.map { (Glob($0.tool), $0) }
        hasArgumentRules = !settings.arguments.isEmpty
        maxResultBytes = settings.maxResultBytes
    }

    /// Whether `tools.allow` and `tools.deny` let the backend's tool through.
    public func isExposed(original: String) -> Bool {
        if !allow.isEmpty, !allow.contains(where: { $0.matches(original) }) { return false }
        return !deny.contains { $0.matches(original) }
    }

    /// The name clients see for the backend's tool `original`.
    public func exposedName(of original: String) -> String { rename[original] ?? original }

    /// The backend's name of the tool clients call `exposed`; nil when no exposed tool has that
    /// name (a denied tool, or the old name of a renamed one).
    public func originalName(ofExposed exposed: String) -> String? {
        let original: String
        if let from = renamedFrom[exposed] {
            original = from
        } else if rename[exposed] != nil {
            return nil
        } else {
            original = exposed
        }
        return isExposed(original: original) ? original : nil
    }

    /// The argument rules that apply to the backend's tool `original`, merged in the order
    /// written. Merged once per tool and kept (a call looks them up under an uncontended lock);
    /// the table stops growing at `cacheLimit` names, past which a name is merged every call.
    public func argumentRules(for original: String) -> EffectiveArgumentRules? {
        guard hasArgumentRules else { return nil }
        if let cached = mergedRules.withLock({ $0[original] }) { return cached }
        var merged = EffectiveArgumentRules()
        var matched = false
        for entry in arguments where entry.glob.matches(original) {
            matched = true
            merged.add(entry.rule)
        }
        merged.encodeValues()
        let rules = matched ? merged : nil
        mergedRules.withLock { table in
            if table.count < Self.cacheLimit { table[original] = .some(rules) }
        }
        return rules
    }

    private let mergedRules = Mutex<[String: EffectiveArgumentRules?]>([:])
    static let cacheLimit = 4096

    /// The backend's list as clients see it, and what in the shaping did not fit the list (for
    /// the backend's log and `doctor`).
    public func shape(_ tools: [ToolDefinition]) -> (tools: [ToolDefinition], problems: [String]) {
        var shaped: [ToolDefinition] = []
        var problems: [String] = []
        let listed = Set(tools.map(\.name))
        for tool in tools {
            guard isExposed(original: tool.name) else { continue }
            let exposed = exposedName(of: tool.name)
            // Another tool was renamed to this one's name: the renamed one owns it (calls go there).
            guard originalName(ofExposed: exposed) == tool.name else {
                problems.append("tool '\(tool.name)' is hidden: '\(renamedFrom[exposed] ?? "?")' was renamed to its name")
                continue
            }
            let (definition, toolProblems) = shapedDefinition(tool, exposed: exposed)
            shaped.append(definition)
            problems += toolProblems
        }
        for original in settings.rename.keys.sorted() where !listed.contains(original) {
            problems.append("rename: the server lists no tool '\(original)'")
        }
        for rule in settings.descriptions where Glob(rule.tool).isLiteral && !listed.contains(rule.tool) {
            problems.append("descriptions: the server lists no tool '\(rule.tool)'")
        }
        for rule in settings.arguments where Glob(rule.tool).isLiteral && !listed.contains(rule.tool) {
            problems.append("arguments: the server lists no tool '\(rule.tool)'")
        }
        return (shaped, problems)
    }

    private func shapedDefinition(_ tool: ToolDefinition, exposed: String) -> (ToolDefinition, [String]) {
        let description = descriptions.first { $0.glob.matches(tool.name) }.map { entry -> String in
            switch entry.change {
            case .replace(let text): return text
            case .append(let text): return tool.description.isEmpty ? text : tool.description + "\n\n" + text
            }
        }
        var schema: RawJSON?
        var problems: [String] = []
        if let rules = argumentRules(for: tool.name) {
            let edited = rules.shapeSchema(tool.inputSchema)
            schema = edited.schema
            problems = edited.unsatisfiedRequired.map {
                "arguments: tool '\(tool.name)' needs '\($0)', which is hidden with no default or fixed value: its calls will fail"
            }
        }
        guard exposed != tool.name || description != nil || schema != nil else { return (tool, problems) }
        var definition = tool
        definition.name = exposed
        if let description { definition.description = description }
        if let schema { definition.inputSchema = schema }
        guard case .object(var object)? = try? tool.raw.parsed() else {
            return (ToolDefinition(name: definition.name, title: definition.title, description: definition.description,
                                   inputSchema: definition.inputSchema, annotations: definition.annotations), problems)
        }
        object["name"] = .string(definition.name)
        object["description"] = .string(definition.description)
        object["inputSchema"] = .raw(definition.inputSchema)
        definition.raw = RawJSON(JSONWriter.encode(.object(object)))
        return (definition, problems)
    }
}
