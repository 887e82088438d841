// Persists each backend's tool list so a restarted gateway can list and search at once,
// without spawning every server. Entries are keyed by a fingerprint of the backend's
// settings (a changed command or URL invalidates them); secrets are only ever hashed.

import Foundation
import GatewayConfig
import Logging
import MCPProtocol

public struct CatalogStore: Sendable {
    public struct Entry: Sendable {
        public var fingerprint: String
        public var savedAt: Date
        public var tools: [ToolDefinition]
    }

    public let path: String
    let logger: Logger

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// `$MCP_GATEWAY_CACHE_DIR`, else `$XDG_CACHE_HOME/mcp-gateway`, else `~/.cache/mcp-gateway`;
    /// one file per configuration file. Nil (no cache) when none of them is set: a shared fallback such
    /// as the temporary directory could be prepared by another user to feed the gateway tool lists.
    public static func defaultPath(configPath: String?, environment: [String: String]) -> String? {
        let directory: String
        if let dir = environment["MCP_GATEWAY_CACHE_DIR"], !dir.isEmpty {
            directory = dir
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            directory = xdg + "/mcp-gateway"
        } else if let home = environment["HOME"], !home.isEmpty {
            directory = home + "/.cache/mcp-gateway"
        } else {
            return nil
        }
        return "\(directory)/catalog-\(fnv64(configPath ?? "builtin-default")).json"
    }

    /// A file kept beside the catalog cache of one config: same directory, `prefix` in place of
    /// `catalog-`, and `fileExtension` (with its dot) in place of `.json` when given. The pin
    /// file and the tool profiles are named so.
    public static func siblingPath(of catalogPath: String, prefix: String, fileExtension: String? = nil) -> String {
        let directory = (catalogPath as NSString).deletingLastPathComponent
        var name = (catalogPath as NSString).lastPathComponent
        if name.hasPrefix("catalog-") { name.removeFirst("catalog-".count) }
        if let fileExtension, name.hasSuffix(".json") { name = String(name.dropLast(".json".count)) + fileExtension }
        return "\(directory)/\(prefix)\(name)"
    }

    public static func fingerprint(_ settings: BackendSettings) -> String {
        var parts: [String] = []
        switch settings.transport {
        case .stdio(let command): parts.append("stdio\u{0}" + command.joined(separator: "\u{0}"))
        case .http(let url, let mode): parts.append("http\u{0}\(url)\u{0}\(mode.rawValue)")
        case .webSocket(let url): parts.append("ws\u{0}\(url)")
        }
        parts.append(settings.cwd ?? "")
        parts.append(contentsOf: settings.env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        parts.append(contentsOf: settings.headers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        return fnv64(parts.joined(separator: "\u{1}"))
    }

    static func fnv64(_ s: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The directory the cache file is in.
    var directory: String { (path as NSString).deletingLastPathComponent }

    public func load() -> [String: Entry] {
        // Only a file this user wrote, in a directory only this user can write, is believed.
        if let problem = PrivateDirectory.problem(directory) ?? PrivateDirectory.fileProblem(path) {
            if FileManager.default.fileExists(atPath: path) {
                logger.warning("ignoring the catalog cache \(path): \(problem)")
            }
            return [:]
        }
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        guard let root = try? JSONParser.parse(Array(data)), root["version"]?.intValue == 1,
              let backends = root["backends"]?.objectValue else {
            logger.warning("ignoring unreadable catalog cache \(path)")
            return [:]
        }
        var entries: [String: Entry] = [:]
        for member in backends.members {
            guard let fingerprint = member.value["fingerprint"]?.stringValue,
                  let saved = member.value["saved_at"]?.intValue,
                  let tools = member.value["tools"]?.arrayValue else { continue }
            let definitions = tools.compactMap { tool -> ToolDefinition? in
                let bytes = JSONWriter.encode(tool)
                return try? ToolDefinition.parseTool(bytes, 0..<bytes.count)
            }
            entries[member.key] = Entry(fingerprint: fingerprint, savedAt: Date(timeIntervalSince1970: TimeInterval(saved)), tools: definitions)
        }
        return entries
    }

    /// Writes atomically (temporary file, then rename), so a crash never leaves half a file.
    public func save(_ entries: [String: Entry]) {
        var backends = JSONObject()
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            backends[name] = [
                "fingerprint": .string(entry.fingerprint),
                "saved_at": .int(Int(entry.savedAt.timeIntervalSince1970)),
                "tools": .array(entry.tools.map { .raw($0.raw) }),
            ]
        }
        let document: JSONValue = ["version": 1, "backends": .object(backends)]
        if let problem = PrivateDirectory.prepare(directory) {
            logger.warning("not saving the catalog cache in \(directory): \(problem)")
            return
        }
        if let problem = PrivateFileWriter.replace(path, with: JSONWriter.encode(document)) {
            logger.warning("could not save the catalog cache \(path): \(problem)")
        }
    }
}
