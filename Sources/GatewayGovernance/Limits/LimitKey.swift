// The name a bucket or gate is kept under: what it limits (a principal's calls, a principal's
// calls of one tool glob, a backend's calls) and whose. A struct of the parts rather than one
// joined string, so admitting a call hashes the principal's name without building anything.

public struct LimitKey: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        case principal, principalTool, backend
    }

    public let kind: Kind
    /// The principal's authentication method (`api_key`, `oauth`...); empty for a backend.
    public let method: String
    /// The principal's name, or the backend's.
    public let name: String
    /// The tool glob of a `principalTool` bucket; empty otherwise.
    public let glob: String

    public init(kind: Kind, method: String = "", name: String, glob: String = "") {
        self.kind = kind
        self.method = method
        self.name = name
        self.glob = glob
    }
}
