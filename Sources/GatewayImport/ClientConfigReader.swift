// Reads the MCP servers out of one client configuration file of the JSON family: `mcpServers`
// (Claude Desktop, Claude Code's .mcp.json and ~/.claude.json, Cursor, Windsurf), VS Code's
// `servers`, Zed's `context_servers` (old nested and current flat forms). Comments and trailing
// commas are accepted (VS Code and Zed write JSONC). docs/notes/client-config-formats.md has the
// formats and their sources.

import MCPProtocol

public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

public enum ClientConfigReader {
    /// Servers of `text` (the file at `path`). `project` is the folder of a Claude Code project
    /// whose `~/.claude.json` entry is read too; `notes` collects what could not be carried over.
    public static func servers(in text: String, path: String, project: String? = nil,
                               notes: inout [String]) throws(ImportProblem) -> [ImportedServer] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(JSONCText.plainJSON(text))
        } catch {
            throw ImportProblem(file: path, message: "not JSON: \(error)")
        }
        guard let object = root.objectValue else {
            throw ImportProblem(file: path, message: "expected a JSON object at the top")
        }
        var found: [ImportedServer] = []
        var sections: [JSONObject] = []
        for key in ["mcpServers", "servers", "context_servers"] {
            if let section = object[key]?.objectValue { sections.append(section) }
        }
        if let project, let entry = object["projects"]?[project]?["mcpServers"]?.objectValue {
            sections.append(entry)
        }
        if sections.isEmpty, object["mcpServers"] == nil {
            notes.append("\(path): no mcpServers, servers or context_servers section")
        }
        for section in sections {
            for (name, value) in section.members {
                guard let entry = value.objectValue else {
                    notes.append("\(path): '\(name)' is not an object; skipped")
                    continue
                }
                if let server = server(named: name, entry, path: path, notes: &notes) { found.append(server) }
            }
        }
        return found
    }

    static func server(named name: String, _ entry: JSONObject, path: String, notes: inout [String]) -> ImportedServer? {
        var env = strings(entry["env"], name: name, field: "env", path: path, notes: &notes)
        let headers = strings(entry["headers"] ?? entry["http_headers"], name: name, field: "headers", path: path, notes: &notes)
        let disabled = entry["disabled"]?.boolValue == true || entry["enabled"]?.boolValue == false
        let cwd = entry["cwd"]?.stringValue
        let type = (entry["type"] ?? entry["transport"])?.stringValue?.lowercased()
        if entry["envFile"] != nil {
            notes.append("\(path): '\(name)' reads envFile \(entry["envFile"]?.stringValue ?? ""), which the gateway does not: copy its variables into env")
        }
        if let url = (entry["url"] ?? entry["serverUrl"])?.stringValue {
            // No type: the gateway finds out (Streamable HTTP, else the older SSE), as Cursor does.
            let transport: String? = switch type {
            case "sse": "sse"
            case "http", "streamable-http", "streamablehttp", "streamable_http": "streamable_http"
            default: nil
            }
            return ImportedServer(name: name, transport: .remote(url: url, transport: transport), headers: headers,
                                  disabled: disabled, source: path)
        }
        var argv: [String] = []
        switch entry["command"] {
        case .string(let command)?:
            argv = [command] + (entry["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        case .object(let nested)?:  // Zed's older form: command: {path, args, env}
            if let program = nested["path"]?.stringValue {
                argv = [program] + (nested["args"]?.arrayValue ?? []).compactMap(\.stringValue)
            }
            env += strings(nested["env"], name: name, field: "command.env", path: path, notes: &notes)
        default:
            break
        }
        guard let program = argv.first, !program.isEmpty else {
            notes.append("\(path): '\(name)' has neither a command nor a url; skipped")
            return nil
        }
        // Windows wrappers run the real program through cmd; the gateway runs it directly.
        if ["cmd", "cmd.exe"].contains(program.lowercased()), argv.count > 2, argv[1].lowercased() == "/c" {
            argv.removeFirst(2)
        }
        return ImportedServer(name: name, transport: .stdio(argv: argv), env: env, cwd: cwd, disabled: disabled,
                              source: path)
    }

    private static func strings(_ value: JSONValue?, name: String, field: String, path: String,
                                notes: inout [String]) -> [(key: String, value: String)] {
        guard let object = value?.objectValue else { return [] }
        var pairs: [(key: String, value: String)] = []
        for (key, value) in object.members {
            if let text = value.stringValue {
                pairs.append((key, text))
            } else if let number = value.intValue {
                pairs.append((key, String(number)))
            } else if let flag = value.boolValue {
                pairs.append((key, flag ? "true" : "false"))
            } else {
                notes.append("\(path): '\(name)' \(field).\(key) is not a string; skipped")
            }
        }
        return pairs
    }
}
