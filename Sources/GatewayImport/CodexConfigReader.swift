// Reads the MCP servers of a Codex config.toml (`[mcp_servers.NAME]`, docs/notes/
// client-config-formats.md §7) with TOMLKit. Codex names secrets instead of embedding them, and
// so does the gateway: `env_vars` (forwarded from Codex's environment) become `${NAME}` env
// values, `bearer_token_env_var` an `Authorization: Bearer ${NAME}` header, `env_http_headers`
// header values `${NAME}`. `enabled_tools` and `disabled_tools` become the backend's
// `tools: {allow, deny}`, `tool_timeout_sec` its `timeout`.

import TOMLKit

public enum CodexConfigReader {
    public static func servers(in text: String, path: String, notes: inout [String]) throws(ImportProblem) -> [ImportedServer] {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ImportProblem(file: path, message: "line \(error.source.begin.line): not TOML: \(error.description)")
        } catch {
            throw ImportProblem(file: path, message: "not TOML: \(error)")
        }
        guard let section = root["mcp_servers"]?.table else {
            notes.append("\(path): no [mcp_servers] tables")
            return []
        }
        var found: [ImportedServer] = []
        for (name, value) in section {
            guard let entry = value.table else {
                notes.append("\(path): mcp_servers.\(name) is not a table; skipped")
                continue
            }
            if let server = server(named: name, entry, path: path, notes: &notes) { found.append(server) }
        }
        return found
    }

    static func server(named name: String, _ entry: TOMLTable, path: String, notes: inout [String]) -> ImportedServer? {
        var server: ImportedServer
        if let command = entry["command"]?.string {
            let argv = [command] + strings(entry["args"]?.array)
            var env = pairs(entry["env"]?.table)
            for forwarded in entry["env_vars"]?.array ?? TOMLArray() {
                if let variable = forwarded.string ?? forwarded.table?["name"]?.string {
                    env.append((variable, "${\(variable)}"))
                }
            }
            server = ImportedServer(name: name, transport: .stdio(argv: argv), env: env, cwd: entry["cwd"]?.string, source: path)
        } else if let url = entry["url"]?.string {
            var headers = pairs(entry["http_headers"]?.table)
            for (header, variable) in pairs(entry["env_http_headers"]?.table) { headers.append((header, "${\(variable)}")) }
            if let variable = entry["bearer_token_env_var"]?.string { headers.append(("Authorization", "Bearer ${\(variable)}")) }
            server = ImportedServer(name: name, transport: .remote(url: url, transport: "streamable_http"), headers: headers, source: path)
        } else {
            notes.append("\(path): mcp_servers.\(name) has neither a command nor a url; skipped")
            return nil
        }
        server.disabled = entry["enabled"]?.bool == false
        server.allowTools = strings(entry["enabled_tools"]?.array)
        server.denyTools = strings(entry["disabled_tools"]?.array)
        if let seconds = entry["tool_timeout_sec"]?.int ?? entry["tool_timeout_sec"]?.double.map({ Int($0.rounded(.up)) }), seconds > 0 {
            server.timeout = "\(seconds)s"
        }
        if entry["oauth"] != nil || entry["scopes"] != nil {
            notes.append("\(path): mcp_servers.\(name) signs in with OAuth in Codex; give the gateway a token in its headers instead")
        }
        return server
    }

    private static func strings(_ array: TOMLArray?) -> [String] {
        (array ?? TOMLArray()).compactMap(\.string)
    }

    private static func pairs(_ table: TOMLTable?) -> [(key: String, value: String)] {
        guard let table else { return [] }
        return table.compactMap { key, value in
            if let text = value.string { return (key, text) }
            if let number = value.int { return (key, String(number)) }
            if let flag = value.bool { return (key, flag ? "true" : "false") }
            return nil
        }
    }
}
