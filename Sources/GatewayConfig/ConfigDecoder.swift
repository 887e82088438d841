// Turns a composed YAML tree into a GatewayConfig while collecting every diagnostic in one pass.
// The section readers live in ConfigDecoder+*.swift; this file holds the state and the reporting.

import Yams

/// Single-use decoder of one config document.
struct ConfigDecoder {
    let file: String
    let expander: EnvironmentExpander
    private(set) var diagnostics: [ConfigDiagnostic] = []
    /// Indices into `diagnostics` of unset-variable errors, which a disabled backend downgrades to warnings.
    var unsetVariableDiagnosticIndices: Set<Int> = []
    /// Backend names used by other sections, checked once all backends are known.
    var backendReferences: [BackendReference] = []
    /// Every name under `backends:`, even of backends that failed to decode, so one mistake is reported once.
    var declaredBackendNames: [String] = []
    /// Where `capabilities.name` was written, checked against the backend names once all are known.
    var capabilitiesNameMark: (mark: Mark?, path: String)?
    /// Where each backend's `timeout` was written, keyed by its path (`backends.x.timeout`), for
    /// the check against `server.request_timeout`.
    /// Backends without their own `timeout`: theirs is `server.request_timeout`, known once the
    /// whole document is read.
    var backendsOnRequestTimeout: Set<String> = []
    /// Where `server.host` was written, for the exposure check.
    var serverHostMark: Mark?
    /// Routing profiles named by rules, checked once `routing_profiles` is read.
    var profileReferences: [(name: String, mark: Mark?, path: String)] = []
    /// Literal server names in access rules, checked against the backends.
    var ruleServerReferences: [(name: String, mark: Mark?, path: String)] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.expander = EnvironmentExpander(environment: environment)
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func error(_ message: String, at mark: Mark?, path: String) {
        report(.error, message, at: mark, path: path)
    }

    mutating func warning(_ message: String, at mark: Mark?, path: String) {
        report(.warning, message, at: mark, path: path)
    }

    private mutating func report(_ severity: ConfigDiagnostic.Severity, _ message: String, at mark: Mark?, path: String) {
        diagnostics.append(ConfigDiagnostic(
            severity: severity, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message
        ))
    }

    /// Turns the unset-variable errors reported since `start` into warnings ending with `note`.
    mutating func downgradeUnsetVariableErrors(since start: Int, note: String) {
        for index in start..<diagnostics.count where unsetVariableDiagnosticIndices.contains(index) {
            diagnostics[index].severity = .warning
            diagnostics[index].message += note
            unsetVariableDiagnosticIndices.remove(index)
        }
    }

    /// Stable sort by line and column, so messages read top to bottom like a compiler's.
    mutating func sortDiagnosticsByPosition() {
        let ordered = diagnostics.enumerated().sorted { lhs, rhs in
            (lhs.element.line, lhs.element.column, lhs.offset) < (rhs.element.line, rhs.element.column, rhs.offset)
        }
        diagnostics = ordered.map(\.element)
        unsetVariableDiagnosticIndices = []
    }

    /// The entries of a section mapping whose keys are supported, in file order, without null values.
    /// Unknown keys are errors with a suggestion; unsupported reference keys are warnings.
    /// Nil, after an error, when `node` is not a mapping; a null node is an empty section.
    mutating func supportedEntries(of node: Node, section: ConfigSection, path: String) -> [MappingEntry]? {
        if node.isNull { return [] }
        guard case .mapping = node else {
            let place = path.isEmpty ? "at the top level of the file" : "for '\(path)'"
            error("expected a mapping \(place), found \(node.kindDescription)", at: node.mark, path: path)
            return nil
        }
        guard let pairs = node.mappingPairsMergingKeys else {
            error("'\(path)' has a key that is not a plain string (or a '<<' merging something other than mappings)",
                  at: node.mark, path: path)
            return nil
        }
        var entries: [MappingEntry] = []
        for (keyScalar, value) in pairs {
            let key = keyScalar.string
            let entryPath = configPath(path, key)
            if section.supportedKeys.contains(key) {
                if !value.isNull {
                    entries.append(MappingEntry(key: key, keyMark: keyScalar.mark, value: value, path: entryPath))
                }
            } else if section.unsupportedKeys.contains(key) {
                warning(section.warning(forUnsupported: key), at: keyScalar.mark, path: entryPath)
            } else if section.refusedKeys.contains(key) {
                if !Self.isSwitchedOff(value) {
                    error(section.refusal(forUnimplemented: entryPath), at: keyScalar.mark, path: entryPath)
                }
            } else {
                let place = path.isEmpty ? "unknown top-level key '\(key)'" : "unknown key '\(key)' in '\(path)'"
                let hint = closestSuggestion(for: key, among: section.allKeys).map { "; did you mean '\($0)'?" } ?? ""
                error(place + hint, at: keyScalar.mark, path: entryPath)
            }
        }
        return entries
    }
}

extension ConfigDecoder {
    /// A section written as `{enabled: false, ...}` asks for nothing, whatever else it holds.
    static func isSwitchedOff(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        return mapping.contains { key, value in
            key.string == "enabled" && value.scalar.flatMap { booleanWord($0.string) } == false
        }
    }
}

/// A backend name written outside `backends:` (warm_start, surfaced_tools), checked after decoding.
struct BackendReference {
    let name: String
    let mark: Mark?
    let path: String
    /// What refers to it, for the message: "'meta_mcp.warm_start'".
    let usedBy: String
}
