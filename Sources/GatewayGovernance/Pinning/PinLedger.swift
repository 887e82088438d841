// The pin state machine, pure and persisted as a whole (PinLedgerCoding): per server the
// approved pins and what is pending approval. A server's first non-empty tool list is
// pinned as it is (trust on first use) and makes the server approved; after that every list
// is compared with the pins: a changed definition, a new tool or a rename becomes pending
// (held or flagged), a tool that is gone is reported as removed (nothing to hold). Approval
// moves pending definitions into the pins. Observing is idempotent: the same pins and the
// same list always give the same pending set, which is what lets the gateway re-apply its
// observations to a file another process (`tools approve`) has just changed.

import MCPProtocol

public struct PinLedger: Sendable, Equatable {
    public struct Pin: Sendable, Equatable {
        public var digest: String
        public var descriptionDigest: String
        public var definition: JSONValue
        /// Seconds since 1970.
        public var pinnedAt: Int

        public init(_ fingerprint: ToolFingerprint, at time: Int) {
            digest = fingerprint.digest
            descriptionDigest = fingerprint.descriptionDigest
            definition = fingerprint.definition
            pinnedAt = time
        }

        public init(digest: String, descriptionDigest: String, definition: JSONValue, pinnedAt: Int) {
            self.digest = digest
            self.descriptionDigest = descriptionDigest
            self.definition = definition
            self.pinnedAt = pinnedAt
        }
    }

    public struct Pending: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case changed(fields: [String])
            case added
            case renamed(from: String)
            /// The pinned tool is no longer listed; approving drops its pin.
            case removed
        }

        public var kind: Kind
        /// The current definition (nil for `removed`).
        public var current: ToolFingerprint?
        /// When this exact change was first seen, seconds since 1970.
        public var seenAt: Int

        public init(kind: Kind, current: ToolFingerprint?, seenAt: Int) {
            self.kind = kind
            self.current = current
            self.seenAt = seenAt
        }

        /// The status of the tool this entry is about (nil for a removal: nothing to hold).
        public var status: PinStatus? {
            switch kind {
            case .changed(let fields): return .changed(fields: fields)
            case .added: return .added
            case .renamed(let from): return .renamed(from: from)
            case .removed: return nil
            }
        }

        public var change: String {
            status?.change ?? "removed"
        }

        public var kindName: String {
            status?.kind ?? "removed"
        }
    }

    public struct Server: Sendable, Equatable {
        public var pins: [String: Pin]
        public var pending: [String: Pending]

        public init(pins: [String: Pin] = [:], pending: [String: Pending] = [:]) {
            self.pins = pins
            self.pending = pending
        }
    }

    public enum ApprovalError: Error, Equatable, CustomStringConvertible {
        case unknownServer(String)
        case nothingPending(server: String, tool: String, pinned: Bool)

        public var description: String {
            switch self {
            case .unknownServer(let server):
                return "no pins for server '\(server)': the gateway pins a server's tools the first time it lists them"
            case .nothingPending(let server, let tool, let pinned):
                return pinned ? "'\(server):\(tool)' is pinned and unchanged: nothing to approve"
                    : "'\(server):\(tool)' is neither pinned nor pending"
            }
        }
    }

    /// What one observation did, for logs.
    public struct Observation: Sendable, Equatable {
        /// The server's tools were pinned now, on first sight.
        public var firstSight = false
        /// Pending entries that were not pending before (or changed since), by tool name.
        public var newlyPending: [(tool: String, pending: Pending)] = []
        /// Whether the ledger changed at all (and so needs writing).
        public var changed = false

        public static func == (lhs: Observation, rhs: Observation) -> Bool {
            lhs.firstSight == rhs.firstSight && lhs.changed == rhs.changed
                && lhs.newlyPending.map(\.tool) == rhs.newlyPending.map(\.tool)
                && lhs.newlyPending.map(\.pending) == rhs.newlyPending.map(\.pending)
        }
    }

    public var servers: [String: Server]

    public init(servers: [String: Server] = [:]) {
        self.servers = servers
    }

    /// A server is approved once its tools were pinned.
    public func isApproved(_ server: String) -> Bool { servers[server] != nil }

    /// Compares `tools` (the server's complete current list) with the pins.
    @discardableResult
    public mutating func observe(server name: String, tools: [ToolFingerprint], now: Int) -> Observation {
        var report = Observation()
        guard var server = servers[name] else {
            // Trust on first use; an empty list pins nothing, so the first real list will.
            guard !tools.isEmpty else { return report }
            var pins: [String: Pin] = [:]
            for tool in tools { pins[tool.name] = Pin(tool, at: now) }
            servers[name] = Server(pins: pins)
            report.firstSight = true
            report.changed = true
            return report
        }
        let listed = Set(tools.map(\.name))
        var gone = server.pins.keys.filter { !listed.contains($0) }.sorted()
        var pending: [String: Pending] = [:]
        for tool in tools {
            if let pin = server.pins[tool.name] {
                guard pin.digest != tool.digest else { continue }
                let fields = ToolFingerprint.changedFields(from: pin.definition, to: tool.definition)
                pending[tool.name] = Pending(kind: .changed(fields: fields), current: tool, seenAt: now)
            } else if !tool.descriptionDigest.isEmpty,
                      let index = gone.firstIndex(where: { server.pins[$0]?.descriptionDigest == tool.descriptionDigest }) {
                pending[tool.name] = Pending(kind: .renamed(from: gone[index]), current: tool, seenAt: now)
                gone.remove(at: index)
            } else {
                pending[tool.name] = Pending(kind: .added, current: tool, seenAt: now)
            }
        }
        for tool in gone { pending[tool] = Pending(kind: .removed, current: nil, seenAt: now) }
        // An entry that is still the same change keeps the time it was first seen.
        for (tool, entry) in pending {
            if let before = server.pending[tool], before.kind == entry.kind, before.current?.digest == entry.current?.digest {
                pending[tool]?.seenAt = before.seenAt
            } else {
                report.newlyPending.append((tool, entry))
            }
        }
        report.newlyPending.sort { $0.tool < $1.tool }
        if pending != server.pending {
            server.pending = pending
            servers[name] = server
            report.changed = true
        }
        return report
    }

    /// Accepts what is pending for `server` (every entry, or the one of `tool`); returns
    /// what was approved, as lines for the operator.
    public mutating func approve(server name: String, tool: String?, now: Int) throws(ApprovalError) -> [String] {
        guard var server = servers[name] else { throw .unknownServer(name) }
        let names: [String]
        if let tool {
            guard server.pending[tool] != nil else {
                throw .nothingPending(server: name, tool: tool, pinned: server.pins[tool] != nil)
            }
            names = [tool]
        } else {
            names = server.pending.keys.sorted()
        }
        var lines: [String] = []
        for tool in names {
            guard let entry = server.pending.removeValue(forKey: tool) else { continue }
            switch entry.kind {
            case .removed:
                server.pins[tool] = nil
            case .renamed(let from):
                server.pins[from] = nil
                server.pending[from] = nil
                if let current = entry.current { server.pins[tool] = Pin(current, at: now) }
            case .changed, .added:
                if let current = entry.current { server.pins[tool] = Pin(current, at: now) }
            }
            lines.append("\(name):\(tool) (\(entry.change))")
        }
        servers[name] = server
        return lines
    }

    /// The status of a tool the server lists: pinned, or its pending change; nil when the
    /// server is not approved or the tool is unknown to the ledger.
    public func status(server: String, tool: String) -> PinStatus? {
        guard let entry = servers[server] else { return nil }
        if let pending = entry.pending[tool] { return pending.status }
        return entry.pins[tool] != nil ? .pinned : nil
    }
}
