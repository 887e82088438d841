// One entry of a backend's `roots:` list: a directory the operator offers that backend as its
// workspace, answered by the gateway itself to the backend's `roots/list` (instead of relaying
// the calling client's roots, which a shared gateway's users would each answer differently).

public struct BackendRoot: Sendable, Equatable {
    /// A `file://` URI (the only scheme the specification allows for roots).
    public var uri: String
    public var name: String?

    public init(uri: String, name: String? = nil) {
        self.uri = uri
        self.name = name
    }
}
