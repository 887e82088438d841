// The `metadata:` section: search keywords and the behaviour hints that become MCP tool annotations.

/// Category, tags and behaviour hints of a capability.
public struct CapabilityMetadata: Sendable, Equatable {
    public var category: String?
    public var tags: [String]
    /// nil: derived from the method (GET/HEAD read only).
    public var readOnly: Bool?
    public var destructive: Bool?
    /// nil: derived from the method (GET, HEAD, PUT, DELETE, OPTIONS).
    public var idempotent: Bool?
    /// nil: true (a public API is an open world).
    public var openWorld: Bool?

    public init(category: String? = nil, tags: [String] = [], readOnly: Bool? = nil, destructive: Bool? = nil,
                idempotent: Bool? = nil, openWorld: Bool? = nil) {
        self.category = category
        self.tags = tags
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }
}
