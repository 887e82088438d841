// What a tool's pin is taken over: the canonical JSON of its name, description, inputSchema,
// outputSchema and annotations (the parts a client reads to decide what to call and how),
// hashed with SHA-256. Other members (title, icons, _meta) may change without a hold.
// The description alone is hashed too: a tool that vanishes while one with the same
// description appears under another name is a rename.

import Crypto
import MCPProtocol

public struct ToolFingerprint: Sendable, Equatable {
    /// The members that are pinned, in the order diffs show them.
    public static let pinnedFields = ["name", "description", "inputSchema", "outputSchema", "annotations"]

    public var name: String
    /// SHA-256 (hex) of the canonical definition.
    public var digest: String
    /// SHA-256 (hex) of the description; empty when the tool has no description (such tools
    /// are never matched as renames of one another).
    public var descriptionDigest: String
    /// The pinned members, keys sorted: stored beside the pin so a change can be shown.
    public var definition: JSONValue

    public init(name: String, definition: JSONValue) {
        self.name = name
        self.definition = definition
        digest = Self.sha256Hex(CanonicalJSON.encode(definition))
        if let description = definition["description"]?.stringValue, !description.isEmpty {
            descriptionDigest = Self.sha256Hex(Array(description.utf8))
        } else {
            descriptionDigest = ""
        }
    }

    /// The fingerprint of a tool object as a backend listed it; nil when it is not an object
    /// with a name.
    public init?(toolObject bytes: [UInt8]) {
        guard let parsed = try? JSONParser.parse(bytes), case .object(let object) = parsed,
              let name = object["name"]?.stringValue else { return nil }
        var pinned = JSONObject()
        for field in Self.pinnedFields {
            if let value = object[field] { pinned[field] = value }
        }
        self.init(name: name, definition: CanonicalJSON.sorted(.object(pinned)))
    }

    /// The pinned fields whose values differ between two definitions, in `pinnedFields` order.
    public static func changedFields(from old: JSONValue, to new: JSONValue) -> [String] {
        pinnedFields.filter { field in
            let before = old[field].map(CanonicalJSON.encode)
            let after = new[field].map(CanonicalJSON.encode)
            return before != after
        }
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
