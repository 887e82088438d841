// The keys valid in each mapping of a capability file. Keys the reference product reads but we do not
// come in two kinds: harmless ones (ignored with a warning) and ones whose absence would change the
// request (refused with an error that says what to write instead).

/// The keys one mapping of a capability file may contain.
struct CapabilitySection: Sendable {
    let supported: [String]
    /// Reference keys ignored with a warning: they only inform, cache or decorate.
    let ignored: [String]
    /// Reference keys refused, with the error to show.
    let refused: [String: String]

    init(_ supported: [String], ignored: [String] = [], refused: [String: String] = [:]) {
        self.supported = supported
        self.ignored = ignored
        self.refused = refused
    }

    var allKeys: [String] { supported + ignored + refused.keys.sorted() }

    static let document = CapabilitySection(
        ["fulcrum", "name", "description", "schema", "providers", "auth", "metadata", "transform", "examples"],
        ignored: ["cache", "webhooks", "sha256", "visible_in_states", "projection", "response_transform"]
    )
    static let schema = CapabilitySection(["input", "output"])
    static let providers = CapabilitySection(["primary", "fallback"])
    static let provider = CapabilitySection(["service", "config", "timeout"], ignored: ["cost_per_call"])
    static let config = CapabilitySection(
        ["base_url", "path", "method", "headers", "params", "body", "response_path", "endpoint", "static_params",
         "body_content_type", "variables", "query", "response_format"],
        refused: [
            "param_map": "'param_map' is not supported: name the API parameter in 'params' instead, e.g. params: {q: \"{query}\"}",
            "path_selector": "'path_selector' is not supported: write one capability per path",
        ]
    )
    static let auth = CapabilitySection(
        ["type", "key", "header", "prefix", "param", "required"],
        ignored: ["token_endpoint", "scopes", "shared_account"]
    )
    static let metadata = CapabilitySection(
        ["category", "tags", "read_only", "destructive", "idempotent", "open_world"],
        ignored: ["cost_category", "execution_time", "exposure", "identity_owner", "produces", "consumes", "chains_with"]
    )
    static let transform = CapabilitySection(["project", "rename", "redact", "truncate"], ignored: ["format"])
    static let redactRule = CapabilitySection(["pattern", "replacement", "field"])
    static let example = CapabilitySection(["description", "arguments", "request"])
    static let exampleRequest = CapabilitySection(["method", "url", "headers", "body"])
}
