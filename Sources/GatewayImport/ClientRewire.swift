// `import --rewire CLIENT` and `import --restore CLIENT`: a client's server sections replaced by
// one entry that runs the gateway (`mcp-gateway serve --stdio --config FILE`, which every client
// can launch), and put back. Only the sections' values change: the rest of the file, comments and
// formatting included, stays byte for byte as it was (JSONCText keeps offsets). A restore splices
// the saved sections back into the file as it is now (clients rewrite their files, Claude Code's
// ~/.claude.json constantly), keeping servers added next to the gateway since.

import MCPProtocol

/// How the client starts the gateway.
public struct GatewayLaunch: Sendable, Equatable {
    public var program: String
    public var configPath: String

    public init(program: String, configPath: String) {
        self.program = program
        self.configPath = configPath
    }
}

public enum ClientRewire {
    /// The name of the gateway's entry in a rewired client.
    public static let entryName = "mcp-gateway"

    /// The paths (member names from the top) of the objects that hold a client's servers.
    static func sectionPaths(client: ClientKind, project: String?) -> [[String]] {
        switch client {
        case .vscode: return [["servers"]]
        case .zed: return [["context_servers"]]
        case .claudeCode: return [["mcpServers"]] + (project.map { [["projects", $0, "mcpServers"]] } ?? [])
        case .claudeDesktop, .cursor, .windsurf, .codex: return [["mcpServers"]]
        }
    }

    /// The gateway's entry in `client`'s format.
    static func entry(client: ClientKind, launch: GatewayLaunch) -> JSONValue {
        var entry = JSONObject()
        if client == .vscode || client == .claudeCode { entry["type"] = "stdio" }
        entry["command"] = .string(launch.program)
        entry["args"] = .array(["serve", "--stdio", "--config", .string(launch.configPath)])
        return .object(entry)
    }

    /// `text` with every server section that holds servers replaced by the gateway's entry alone,
    /// and the names of the servers it replaced. Throws when the file has no servers to replace
    /// or is already rewired.
    public static func rewire(_ text: String, path: String, client: ClientKind, project: String?,
                              launch: GatewayLaunch) throws(ImportProblem) -> (text: String, replaced: [String]) {
        let bytes = Array(text.utf8)
        let plain = JSONCText.plainBytes(bytes)
        var edits: [(range: Range<Int>, text: String)] = []
        var replaced: [String] = []
        for section in sectionPaths(client: client, project: project) {
            guard let range = try valueRange(of: section, in: plain, path: path),
                  let members = try? JSONScanner.members(of: plain, in: range), !members.isEmpty else { continue }
            if members.contains(where: { $0.key == entryName }) {
                throw ImportProblem(file: path, message: "'\(section.joined(separator: "."))' already runs '\(entryName)': the client is rewired (undo it with --restore)")
            }
            replaced += members.map(\.key)
            let object = JSONValue.object(JSONObject([(entryName, entry(client: client, launch: launch))]))
            edits.append((range, PrettyJSON.text(object, indent: indentation(at: range.lowerBound, in: bytes))))
        }
        guard !edits.isEmpty else {
            throw ImportProblem(file: path, message: "no servers to replace in \(sectionPaths(client: client, project: project).map { $0.joined(separator: ".") }.joined(separator: " or "))")
        }
        return (apply(edits, to: bytes), replaced)
    }

    /// `current` with each section saved in `backup` put back; a server added to the current
    /// section since (other than the gateway) is kept, and named in the notes.
    public static func restore(current: String, backup: String, path: String, client: ClientKind,
                               project: String?) throws(ImportProblem) -> (text: String, notes: [String]) {
        let bytes = Array(current.utf8)
        let plain = JSONCText.plainBytes(bytes)
        let saved = Array(backup.utf8)
        let savedPlain = JSONCText.plainBytes(saved)
        var edits: [(range: Range<Int>, text: String)] = []
        var notes: [String] = []
        for section in sectionPaths(client: client, project: project) {
            guard let savedRange = try valueRange(of: section, in: savedPlain, path: path + " (backup)"),
                  let savedMembers = try? JSONScanner.members(of: savedPlain, in: savedRange), !savedMembers.isEmpty else { continue }
            guard let range = try valueRange(of: section, in: plain, path: path),
                  let members = try? JSONScanner.members(of: plain, in: range) else {
                throw ImportProblem(file: path, message: "'\(section.joined(separator: "."))' is gone from the file: restore it by hand from the backup")
            }
            let added = members.filter { member in member.key != entryName && !savedMembers.contains { $0.key == member.key } }
            guard !added.isEmpty else {
                // Nothing added since: the section exactly as it was saved.
                edits.append((range, String(decoding: saved[savedRange], as: UTF8.self)))
                continue
            }
            var restored = savedMembers.map { (key: $0.key, text: String(decoding: saved[$0.range], as: UTF8.self)) }
            for member in added {
                restored.append((member.key, String(decoding: bytes[member.range], as: UTF8.self)))
                notes.append("'\(member.key)' was added since the rewire: kept")
            }
            edits.append((range, objectText(restored, indent: indentation(at: range.lowerBound, in: bytes))))
        }
        guard !edits.isEmpty else { throw ImportProblem(file: path, message: "the backup holds no server section to restore") }
        return (apply(edits, to: bytes), notes)
    }

    /// The byte range of the value at `path` (nil when a step is missing or not an object).
    static func valueRange(of section: [String], in plain: [UInt8], path: String) throws(ImportProblem) -> Range<Int>? {
        var range: Range<Int>? = nil
        for key in section {
            let members: [JSONScanner.Member]
            do {
                members = try JSONScanner.members(of: plain, in: range)
            } catch {
                if range == nil { throw ImportProblem(file: path, message: "not JSON: \(error)") }
                return nil
            }
            guard let member = members.first(where: { $0.key == key }) else { return nil }
            range = member.range
        }
        return range
    }

    /// The object `{key: value text, ...}`, one member per line, indented one level past `indent`.
    static func objectText(_ members: [(key: String, text: String)], indent: String) -> String {
        guard !members.isEmpty else { return "{}" }
        let inner = indent + "  "
        let lines = members.map { inner + String(decoding: JSONWriter.quoted($0.key), as: UTF8.self) + ": " + $0.text }
        return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    }

    /// The leading blanks of the line holding `offset`.
    static func indentation(at offset: Int, in bytes: [UInt8]) -> String {
        var start = offset
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func apply(_ edits: [(range: Range<Int>, text: String)], to bytes: [UInt8]) -> String {
        var out = bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
