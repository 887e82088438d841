// MCP 2026-07-28, the stateless era: its version, `_meta` keys, error codes, the methods a
// gateway serves in it, and the per-request envelope every request must carry.

import MCPProtocol

public enum ModernEra {
    public static let version = ProtocolVersion.stateless

    public enum MetaKey {
        public static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
        public static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
        public static let clientInfo = "io.modelcontextprotocol/clientInfo"
        public static let logLevel = "io.modelcontextprotocol/logLevel"
        public static let serverInfo = "io.modelcontextprotocol/serverInfo"
        public static let subscriptionID = "io.modelcontextprotocol/subscriptionId"
    }

    public enum ErrorCode {
        public static let headerMismatch = -32020
        public static let missingRequiredClientCapability = -32021
        public static let unsupportedProtocolVersion = -32022
    }

    /// Every version the gateway speaks: -32022 must name handshake versions too, or a
    /// dual-era client gives up instead of falling back.
    public static var supportedVersions: [String] { [version] + ProtocolVersion.supported }

    /// The methods of the 2026-07-28 surface the gateway serves.
    public static let methods: Set<String> = [
        "server/discover", "tools/list", "tools/call", "prompts/list", "prompts/get",
        "resources/list", "resources/templates/list", "resources/read", "subscriptions/listen",
    ]

    /// Results that carry cache hints, with the hint the gateway gives.
    static func cacheHint(for method: String) -> Int? {
        switch method {
        case "server/discover", "tools/list", "prompts/list", "resources/list", "resources/templates/list": return 30_000
        case "resources/read": return 0
        default: return nil
        }
    }

    // What `decorate` adds to every result, encoded once.
    static let resultTypeField = Array(#""resultType":"complete","#.utf8)
    static let cacheScopeField = Array(#""cacheScope":"public","#.utf8)
    static let privateCacheScopeField = Array(#""cacheScope":"private","#.utf8)
    static let metaKey = Array(#""_meta":"#.utf8)
    /// The result members `decorate` adds unless present, in the order it checks them.
    static let decoratedKeys = ["resultType", "ttlMs", "cacheScope", "_meta"].map(JSONScanner.Key.init)

    /// The param that `Mcp-Name` must mirror for a method.
    public static func nameParameter(for method: String) -> String? {
        switch method {
        case "tools/call", "prompts/get": return "name"
        case "resources/read": return "uri"
        default: return nil
        }
    }

    /// The per-request envelope from `params._meta`.
    public struct Envelope: Sendable {
        public var protocolVersion: String
        public var capabilities: JSONValue
        public var logLevel: String?
        /// `_meta.progressToken`, read in the same pass as the rest of the envelope.
        public var progressToken: JSONValue?
    }

    public enum EnvelopeProblem: Error, Sendable {
        case missing(String)
    }

    /// The `_meta` members the envelope reads, in the order `envelope(of:params:)` expects.
    static let envelopeKeys = [MetaKey.protocolVersion, MetaKey.clientCapabilities, MetaKey.logLevel, "progressToken"]
        .map(JSONScanner.Key.init)

    public static func envelope(of message: JSONRPCMessage) -> Result<Envelope, EnvelopeProblem> {
        envelope(of: message, params: message.paramsMembers)
    }

    /// `params` are the message's params members, scanned once by a caller that needs them too.
    /// Every request of this era carries its envelope, so `_meta` is read by scanning: only a
    /// non-empty `clientCapabilities` becomes a JSON tree, and the arguments stay bytes.
    public static func envelope(of message: JSONRPCMessage, params: [JSONScanner.Member]) -> Result<Envelope, EnvelopeProblem> {
        let bytes = message.bytes
        let meta = params
            .first { $0.key == "_meta" }
            .flatMap { try? JSONScanner.values(of: envelopeKeys, in: bytes, range: $0.range) } ?? [nil, nil, nil, nil]
        guard let version = meta[0].flatMap({ JSONScanner.string(in: bytes, range: $0) }) else {
            return .failure(.missing("params._meta[\"\(MetaKey.protocolVersion)\"]"))
        }
        guard let capabilitiesRange = meta[1],
              let declared = try? JSONScanner.members(of: bytes, in: capabilitiesRange) else {
            return .failure(.missing("params._meta[\"\(MetaKey.clientCapabilities)\"]"))
        }
        let capabilities: JSONValue
        if declared.isEmpty {
            capabilities = .object(JSONObject())
        } else if let parsed = try? JSONParser.parse(bytes[capabilitiesRange]) {
            capabilities = parsed
        } else {
            return .failure(.missing("params._meta[\"\(MetaKey.clientCapabilities)\"]"))
        }
        return .success(Envelope(protocolVersion: version, capabilities: capabilities,
                                 logLevel: meta[2].flatMap { JSONScanner.string(in: bytes, range: $0) },
                                 progressToken: meta[3].flatMap { ProgressRelay.token(in: bytes, at: $0) }))
    }

    /// -32022 with the versions the gateway does serve.
    public static func unsupportedVersion(id: JSONRPCID?, requested: String) -> [UInt8] {
        JSONRPCEncoder.error(id: id, code: ErrorCode.unsupportedProtocolVersion,
                             message: "Unsupported protocol version \(requested)",
                             data: ["supported": .array(supportedVersions.map { .string($0) }), "requested": .string(requested)])
    }

    /// Adds what 2026-07-28 requires on a result — `resultType`, cache hints, serverInfo —
    /// splicing bytes so a relayed result is otherwise untouched.
    public static func decorate(response: [UInt8], method: String, serverInfo: JSONValue) -> [UInt8] {
        decorate(response: response, method: method, meta: serverInfoMeta(serverInfo))
    }

    /// The `_meta` object a result carries, encoded once by callers that decorate every result.
    public static func serverInfoMeta(_ serverInfo: JSONValue) -> [UInt8] {
        JSONWriter.encode([MetaKey.serverInfo: serverInfo])
    }

    /// `meta` is the encoded `_meta` object (see `serverInfoMeta`).
    /// `privateCache`: the answer is the caller's own (its scopes filtered it), so cache hints
    /// say `private`.
    public static func decorate(response: [UInt8], method: String, meta: [UInt8], privateCache: Bool = false) -> [UInt8] {
        // One pass over the result's members, found from where the result begins; keys are
        // compared as bytes.
        guard let start = try? JSONScanner.valueStart(of: "result", in: response),
              start < response.count, response[start] == UInt8(ascii: "{"),
              let (present, memberCount) = try? JSONScanner.presence(of: decoratedKeys, inObjectAt: start, in: response)
        else { return response }
        var fields: [UInt8] = []
        fields.reserveCapacity(Self.resultTypeField.count + Self.metaKey.count + meta.count + 1)
        if !present[0] { fields.append(contentsOf: Self.resultTypeField) }
        if let ttl = cacheHint(for: method) {
            if !present[1] { fields.append(contentsOf: Array(#""ttlMs":\#(ttl),"#.utf8)) }
            if !present[2] { fields.append(contentsOf: privateCache ? Self.privateCacheScopeField : Self.cacheScopeField) }
        }
        if !present[3] {
            fields.append(contentsOf: Self.metaKey)
            fields.append(contentsOf: meta)
            fields.append(UInt8(ascii: ","))
        }
        guard !fields.isEmpty else { return response }
        if memberCount == 0 { fields.removeLast() }
        var out: [UInt8] = []
        out.reserveCapacity(response.count + fields.count)
        out.append(contentsOf: response[...start])
        out.append(contentsOf: fields)
        out.append(contentsOf: response[(start + 1)...])
        return out
    }
}
