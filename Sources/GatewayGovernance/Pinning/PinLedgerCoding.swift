// The pin file's format (version 1): one JSON document the gateway and `mcp-gateway tools`
// both read and write. Pins keep their definitions so a change can be shown as a diff, and
// pending entries keep the current definition so `tools approve` needs no backend.
//
// {"version":1,"servers":{"files":{"pins":{"read":{"digest":"…","description_digest":"…",
//   "pinned_at":1765000000,"definition":{…}}},"pending":{"read":{"kind":"changed",
//   "fields":["description"],"seen_at":…,"digest":"…","description_digest":"…","definition":{…}}}}}}
//
// Reading is strict: a member of the wrong type is an error naming where it is, never a
// skipped entry, because a pin that silently vanished would be re-pinned on first sight.

import MCPProtocol

public enum PinLedgerCoding {
    public static let version = 1

    public struct DecodeError: Error, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Members are collected as arrays and made into objects once: `JSONObject`'s subscript
    /// setter looks its key up first, which made a 10,000-tool server quadratic.
    public static func encode(_ ledger: PinLedger) -> [UInt8] {
        var servers: [(String, JSONValue)] = []
        for (name, server) in ledger.servers.sorted(by: { $0.key < $1.key }) {
            var pins: [(String, JSONValue)] = []
            pins.reserveCapacity(server.pins.count)
            for (tool, pin) in server.pins.sorted(by: { $0.key < $1.key }) {
                pins.append((tool, .object(JSONObject([
                    ("digest", .string(pin.digest)), ("description_digest", .string(pin.descriptionDigest)),
                    ("pinned_at", .int(pin.pinnedAt)), ("definition", pin.definition),
                ]))))
            }
            var pending: [(String, JSONValue)] = []
            for (tool, entry) in server.pending.sorted(by: { $0.key < $1.key }) {
                var members: [(String, JSONValue)] = [("kind", .string(entry.kindName))]
                switch entry.kind {
                case .changed(let fields): members.append(("fields", .array(fields.map(JSONValue.string))))
                case .renamed(let from): members.append(("from", .string(from)))
                case .added, .removed: break
                }
                members.append(("seen_at", .int(entry.seenAt)))
                if let current = entry.current {
                    members.append(("digest", .string(current.digest)))
                    members.append(("description_digest", .string(current.descriptionDigest)))
                    members.append(("definition", current.definition))
                }
                pending.append((tool, .object(JSONObject(members))))
            }
            servers.append((name, .object(JSONObject([("pins", .object(JSONObject(pins))), ("pending", .object(JSONObject(pending)))]))))
        }
        return JSONWriter.encode(.object(JSONObject([("version", .int(version)), ("servers", .object(JSONObject(servers)))])))
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> PinLedger {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw DecodeError("not JSON (\(error))") }
        guard root["version"]?.intValue == version else {
            throw DecodeError("expected \"version\": \(version), found \(root["version"].map(JSONWriter.encodeString) ?? "none")")
        }
        guard let servers = root["servers"]?.objectValue else { throw DecodeError("'servers' is not an object") }
        var ledger = PinLedger()
        for member in servers.members {
            let path = "servers.\(member.key)"
            guard let pinsObject = member.value["pins"]?.objectValue else { throw DecodeError("\(path).pins is not an object") }
            var server = PinLedger.Server()
            for pin in pinsObject.members {
                let at = "\(path).pins.\(pin.key)"
                let fingerprint = ToolFingerprint(name: pin.key, definition: try definition(pin.value, at))
                guard fingerprint.digest == (try string(pin.value, "digest", at)) else {
                    throw DecodeError("\(at).digest does not match its definition")
                }
                server.pins[pin.key] = PinLedger.Pin(fingerprint, at: try int(pin.value, "pinned_at", at))
            }
            if let pendingValue = member.value["pending"] {
                guard let pending = pendingValue.objectValue else { throw DecodeError("\(path).pending is not an object") }
                for entry in pending.members {
                    server.pending[entry.key] = try self.pending(entry.value, tool: entry.key, at: "\(path).pending.\(entry.key)")
                }
            }
            ledger.servers[member.key] = server
        }
        return ledger
    }

    private static func pending(_ value: JSONValue, tool: String, at path: String) throws(DecodeError) -> PinLedger.Pending {
        let kindName = try string(value, "kind", path)
        let kind: PinLedger.Pending.Kind
        switch kindName {
        case "changed":
            guard let fields = value["fields"]?.arrayValue?.compactMap(\.stringValue) else {
                throw DecodeError("\(path).fields is not a list of names")
            }
            kind = .changed(fields: fields)
        case "added": kind = .added
        case "renamed": kind = .renamed(from: try string(value, "from", path))
        case "removed": kind = .removed
        default: throw DecodeError("\(path).kind is '\(kindName)'; expected changed, added, renamed or removed")
        }
        var current: ToolFingerprint?
        if kind != .removed {
            let fingerprint = ToolFingerprint(name: tool, definition: try definition(value, path))
            guard fingerprint.digest == (try string(value, "digest", path)) else {
                throw DecodeError("\(path).digest does not match its definition")
            }
            current = fingerprint
        }
        return PinLedger.Pending(kind: kind, current: current, seenAt: try int(value, "seen_at", path))
    }

    private static func string(_ value: JSONValue, _ key: String, _ path: String) throws(DecodeError) -> String {
        guard let text = value[key]?.stringValue else { throw DecodeError("\(path).\(key) is missing or not a string") }
        return text
    }

    private static func int(_ value: JSONValue, _ key: String, _ path: String) throws(DecodeError) -> Int {
        guard let number = value[key]?.intValue else { throw DecodeError("\(path).\(key) is missing or not a number") }
        return number
    }

    private static func definition(_ value: JSONValue, _ path: String) throws(DecodeError) -> JSONValue {
        guard let definition = value["definition"], definition.objectValue != nil else {
            throw DecodeError("\(path).definition is missing or not an object")
        }
        return CanonicalJSON.sorted(definition)
    }
}
