// `--rewire codex` and `--restore codex` on a config.toml, as text: the `[mcp_servers.NAME]`
// tables (with their sub-tables, such as `[mcp_servers.NAME.tools.T]`) are taken out and one
// `[mcp_servers.mcp-gateway]` table put where the first of them stood; everything else (the
// model, profiles, projects, comments) stays byte for byte. A restore takes the gateway's table
// out of the file as it is now and puts the saved tables back in its place. A table runs from its
// header to the next header; servers written as dotted keys or an inline table outside their own
// tables are not rewired (the caller is told to move them into tables first).

public enum CodexRewire {
    static let prefix = "mcp_servers"

    public static func rewire(_ text: String, path: String, launch: GatewayLaunch) throws(ImportProblem) -> (text: String, replaced: [String]) {
        var lines = splitLines(text)
        let blocks = serverBlocks(lines)
        try refuseLooseServers(lines, blocks: blocks, path: path)
        guard let first = blocks.first else {
            throw ImportProblem(file: path, message: "no [mcp_servers.NAME] tables to replace")
        }
        if blocks.contains(where: { $0.server == ClientRewire.entryName }) {
            throw ImportProblem(file: path, message: "[mcp_servers.\(ClientRewire.entryName)] is already there: the client is rewired (undo it with --restore)")
        }
        var replaced: [String] = []
        for block in blocks where !replaced.contains(block.server) { replaced.append(block.server) }
        for block in blocks.reversed() { lines.removeSubrange(block.range) }
        lines.insert(contentsOf: gatewayTable(launch), at: first.range.lowerBound)
        return (joinLines(lines), replaced)
    }

    public static func restore(current: String, backup: String, path: String) throws(ImportProblem) -> (text: String, notes: [String]) {
        var lines = splitLines(current)
        let saved = splitLines(backup)
        let savedBlocks = serverBlocks(saved)
        guard !savedBlocks.isEmpty else { throw ImportProblem(file: path, message: "the backup holds no [mcp_servers] tables to restore") }
        let blocks = serverBlocks(lines)
        guard let gateway = blocks.first(where: { $0.server == ClientRewire.entryName }) else {
            throw ImportProblem(file: path, message: "[mcp_servers.\(ClientRewire.entryName)] is gone from the file: restore it by hand from the backup")
        }
        let savedServers = Set(savedBlocks.map(\.server))
        var notes: [String] = []
        for block in blocks where block.server != ClientRewire.entryName && !savedServers.contains(block.server) {
            let note = "'\(block.server)' was added since the rewire: kept"
            if !notes.contains(note) { notes.append(note) }
        }
        var restored: [String] = []
        for block in savedBlocks { restored += saved[block.range] }
        let at = gateway.range.lowerBound
        for block in blocks.reversed() where block.server == ClientRewire.entryName { lines.removeSubrange(block.range) }
        lines.insert(contentsOf: restored, at: at)
        return (joinLines(lines), notes)
    }

    struct Block {
        var server: String
        var range: Range<Int>
    }

    /// Every table under `mcp_servers.NAME`, in file order, each from its header to the next header.
    static func serverBlocks(_ lines: [String]) -> [Block] {
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            guard let server = serverOfHeader(lines[index]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count, !isHeader(lines[end]) { end += 1 }
            blocks.append(Block(server: server, range: index..<end))
            index = end
        }
        return blocks
    }

    /// The server a `[mcp_servers.NAME...]` header names (quotes taken off), else nil.
    static func serverOfHeader(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("["), !trimmed.hasPrefix("[["), let close = trimmed.firstIndex(of: "]") else { return nil }
        let key = trimmed[trimmed.index(after: trimmed.startIndex)..<close].filter { $0 != " " && $0 != "\t" }
        guard key.hasPrefix(prefix + ".") else { return nil }
        let rest = key.dropFirst(prefix.count + 1)
        if let quote = rest.first, quote == "\"" || quote == "'" {
            let body = rest.dropFirst()
            guard let end = body.firstIndex(of: quote) else { return nil }
            return String(body[..<end])
        }
        return String(rest.prefix { $0 != "." })
    }

    static func isHeader(_ line: String) -> Bool {
        line.drop { $0 == " " || $0 == "\t" }.hasPrefix("[")
    }

    /// Servers outside their own tables (`[mcp_servers]` with entries, or `mcp_servers.x = ...`
    /// dotted keys) cannot be taken out as tables: refused with what to do.
    private static func refuseLooseServers(_ lines: [String], blocks: [Block], path: String) throws(ImportProblem) {
        for (number, line) in lines.enumerated() {
            let trimmed = String(line.drop { $0 == " " || $0 == "\t" })
            let compact = trimmed.filter { $0 != " " && $0 != "\t" }
            if compact == "[\(prefix)]" || (!isHeader(trimmed) && compact.hasPrefix(prefix + ".") && compact.contains("=")) {
                throw ImportProblem(file: path, message: "line \(number + 1): servers written outside [mcp_servers.NAME] tables; move each into its own table to rewire")
            }
        }
    }

    static func gatewayTable(_ launch: GatewayLaunch) -> [String] {
        func quoted(_ text: String) -> String { BackendsYAML.quoted(text) }
        return [
            "[\(prefix).\(ClientRewire.entryName)]",
            "command = \(quoted(launch.program))",
            "args = [\(["serve", "--stdio", "--config", launch.configPath].map(quoted).joined(separator: ", "))]",
            "",
        ]
    }

    static func splitLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func joinLines(_ lines: [String]) -> String { lines.joined(separator: "\n") }
}
