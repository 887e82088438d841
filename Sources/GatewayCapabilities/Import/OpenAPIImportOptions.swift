// What `cap import` can be told: a name prefix, where the credential comes from, and a base URL.

/// Options of `cap import`.
public struct OpenAPIImportOptions: Sendable {
    /// Prefix of every tool name (`petstore` → `petstore_find_pets`).
    public var prefix: String?
    /// Where the credential comes from (`env:NAME`); default `env:<TITLE>_TOKEN`.
    public var authKey: String?
    /// Base URL to use instead of the spec's servers (needed when they are relative or missing).
    public var baseURL: String?
    /// Where the spec was read from, to resolve relative server URLs.
    public var specURL: String?

    public init(prefix: String? = nil, authKey: String? = nil, baseURL: String? = nil, specURL: String? = nil) {
        self.prefix = prefix
        self.authKey = authKey
        self.baseURL = baseURL
        self.specURL = specURL
    }
}
