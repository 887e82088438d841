// Writes imported servers as the `backends:` section of a gateway.yaml: names made valid and
// unique, the same server configured in several clients kept once, every value in the gateway's
// variable syntax, and secrets as `${VAR}` references (the variables to set are listed at the top)
// unless `keepSecrets`. Every string is written as a JSON string literal, which YAML reads as a
// double-quoted scalar: no quoting rule of YAML can be got wrong.

import MCPProtocol

public struct ImportResult: Sendable {
    /// The YAML text (a complete gateway.yaml: server defaults are left to the gateway).
    public var yaml: String
    /// Variables the file refers to, with why.
    public var variables: [(name: String, why: String)]
    /// What was merged, renamed or could not be carried over.
    public var notes: [String]
    public var backendNames: [String]
    /// The new entries alone: the lines under `backends:`, indented two spaces a level (what a
    /// merge into an existing file inserts).
    public var entryLines: [String]
    /// The comment lines naming the variables to set (empty when none).
    public var variableComment: [String]
}

/// A backend the gateway config already has: its name is taken, and a server with its identity
/// (ImportedServer.identity) is not imported again.
public struct ExistingBackend: Sendable, Equatable {
    public var name: String
    public var identity: String?

    public init(name: String, argv: [String]?, url: String?) {
        self.name = name
        identity = argv.map(ImportedServer.identity(argv:)) ?? url.map(ImportedServer.identity(url:))
    }
}

public enum BackendsYAML {
    public static func render(_ servers: [ImportedServer], keepSecrets: Bool, workspaceFolder: String? = nil,
                              sources: [String], notes: [String] = [], existing: [ExistingBackend] = []) -> ImportResult {
        var notes = notes
        var syntax = VariableSyntax(workspaceFolder: workspaceFolder)
        var kept: [ImportedServer] = []
        for server in servers {
            if let there = existing.first(where: { $0.identity == server.identity }) {
                notes.append("'\(server.name)' (\(server.source)) is already in the gateway config as '\(there.name)': skipped")
                continue
            }
            if let same = kept.first(where: { $0.identity == server.identity }) {
                notes.append("'\(server.name)' (\(server.source)) is the same server as '\(same.name)' (\(same.source)): kept once")
                continue
            }
            kept.append(server)
        }
        var used = Set(existing.map(\.name))
        var lines = ["backends:"]
        var names: [String] = []
        for server in kept {
            let name = uniqueName(server.name, used: &used)
            if name != server.name { notes.append("'\(server.name)' is named '\(name)' (backend names are [A-Za-z0-9_-], unique)") }
            names.append(name)
            lines.append("  \(name):")
            lines.append("    description: \(quoted("imported from \(server.source)"))")
            switch server.transport {
            case .stdio(let argv):
                let words = argv.map { quoted(syntax.rewrite($0, server: name)) }
                lines.append("    command: [\(words.joined(separator: ", "))]")
            case .remote(let url, let transport):
                lines.append("    http_url: \(quoted(syntax.rewrite(url, server: name)))")
                if let transport { lines.append("    transport: \(transport)") }
            }
            if let cwd = server.cwd { lines.append("    cwd: \(quoted(syntax.rewrite(cwd, server: name)))") }
            if !server.env.isEmpty {
                lines.append("    env:")
                for (key, value) in server.env {
                    var written = syntax.rewrite(value, server: name)
                    if !keepSecrets, SecretDetector.isSecret(name: key, value: value) {
                        let variable = VariableSyntax.isVariableName(key) ? key : VariableSyntax.variableName("\(name)_\(key)")
                        written = syntax.variable(variable, why: "secret of \(name) (env \(key))")
                    }
                    lines.append("      \(quoted(key)): \(quoted(written))")
                }
            }
            if !server.headers.isEmpty {
                lines.append("    headers:")
                for (key, value) in server.headers {
                    var written = syntax.rewrite(value, server: name)
                    if !keepSecrets, SecretDetector.isSecret(name: key, value: value) {
                        let variable = VariableSyntax.variableName("\(name)_\(key == "Authorization" ? "token" : key)")
                        let why = "secret of \(name) (header \(key))"
                        if value.lowercased().hasPrefix("bearer ") {
                            written = "Bearer " + syntax.variable(variable, why: why + ", without 'Bearer '")
                        } else {
                            written = syntax.variable(variable, why: why)
                        }
                    }
                    lines.append("      \(quoted(key)): \(quoted(written))")
                }
            }
            if let timeout = server.timeout { lines.append("    timeout: \(quoted(timeout))") }
            if !server.allowTools.isEmpty || !server.denyTools.isEmpty {
                lines.append("    tools:")
                if !server.allowTools.isEmpty { lines.append("      allow: [\(server.allowTools.map(quoted).joined(separator: ", "))]") }
                if !server.denyTools.isEmpty { lines.append("      deny: [\(server.denyTools.map(quoted).joined(separator: ", "))]") }
            }
            if server.disabled { lines.append("    enabled: false") }
        }
        let entries = Array(lines.dropFirst())
        if kept.isEmpty { lines = ["backends: {}"] }
        var variableComment: [String] = []
        if !syntax.needed.isEmpty {
            variableComment.append("# Set these environment variables before starting the gateway:")
            variableComment += syntax.needed.map { "#   \($0.name): \($0.why)" }
        }
        let header = ["# Written by mcp-gateway import from:"] + sources.map { "#   \($0)" } + variableComment
        let yaml = (header + [""] + lines).joined(separator: "\n") + "\n"
        return ImportResult(yaml: yaml, variables: syntax.needed, notes: notes, backendNames: names, entryLines: entries,
                            variableComment: variableComment)
    }

    /// A backend name from a client's server name: [A-Za-z0-9_-], other characters as '-'.
    static func uniqueName(_ raw: String, used: inout Set<String>) -> String {
        var name = ""
        for scalar in raw.unicodeScalars {
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
            if allowed {
                name.unicodeScalars.append(scalar)
            } else if !name.hasSuffix("-") {
                name += "-"
            }
        }
        while name.hasPrefix("-") { name.removeFirst() }
        while name.hasSuffix("-") { name.removeLast() }
        if name.isEmpty { name = "server" }
        var candidate = name
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(name)-\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }

    static func quoted(_ text: String) -> String {
        String(decoding: JSONWriter.encode(.string(text)), as: UTF8.self)
    }
}
