// The gate's identity check: turns what a request presents (a bearer token, an API key, a
// client certificate) into a Principal, or into the 401/403 that refuses it. Every front end
// asks this one object; none of them compares credentials itself.

import GatewayConfig
import Synchronization

public final class Authenticator: Sendable {
    /// One accepted static token: the digest of the bearer token or of an API key.
    struct KnownKey: Sendable {
        let digest: [UInt8]
        let principal: Principal
    }

    /// Whether a request must carry a credential (`auth.enabled`).
    public let isRequired: Bool
    let tokenVerifier: (any TokenVerifier)?
    /// Paths answered without a credential (`auth.public_paths`).
    public let publicPaths: Set<String>
    /// RFC 9728 metadata URL named in every challenge, when OAuth is configured.
    let resourceMetadataURL: String?
    /// Client certificates are required (mTLS) and are the only identity: a connection whose
    /// certificate names nobody must not become the anonymous administrator.
    let certificatesIdentify: Bool
    /// The accepted static keys, and the keys already matched by fingerprint: a client sends the
    /// same key on every request, and its SHA-256 and the digest compares cost ~4k instructions a
    /// call (callgrind, BENCHMARKS.md) where a fingerprint lookup costs a few hundred. Only
    /// matches are kept (junk cannot fill it), at most `recentKeyLimit`, emptied when full. A
    /// reload replaces the keys and empties the matches in one step (`replaceKeys`); the epoch
    /// keeps a lookup that began before it from remembering a key it removed.
    private struct KeySet {
        var keys: [KnownKey]
        var recent: [TokenFingerprint: Principal] = [:]
        var epoch = 0
    }

    private let keySet: Mutex<KeySet>
    static let recentKeyLimit = 1024

    /// - Parameter bearerToken: `auth.bearer_token` resolved (an `auto` token already made).
    public init(settings: AuthSettings, bearerToken: String?, tokenVerifier: (any TokenVerifier)? = nil,
                resourceMetadataURL: String? = nil, clientCertificatesRequired: Bool = false) {
        isRequired = settings.isRequired
        certificatesIdentify = clientCertificatesRequired && !settings.isRequired
        keySet = Mutex(KeySet(keys: Self.knownKeys(apiKeys: settings.apiKeys, bearerToken: bearerToken)))
        self.tokenVerifier = tokenVerifier
        self.publicPaths = Set(settings.publicPaths)
        self.resourceMetadataURL = resourceMetadataURL
    }

    private static func knownKeys(apiKeys: [APIKeySettings], bearerToken: String?) -> [KnownKey] {
        var keys: [KnownKey] = []
        if let bearerToken {
            keys.append(KnownKey(digest: SecretDigest.of(bearerToken),
                                 principal: Principal(name: "bearer", method: .bearerToken, isAdmin: true)))
        }
        for entry in apiKeys {
            let digest = entry.key.map { SecretDigest.of($0) } ?? entry.keySHA256.flatMap(SecretDigest.bytes(hex:))
            guard let digest else { continue }  // the decoder refuses such entries
            keys.append(KnownKey(digest: digest, principal: Principal(name: entry.name, method: .apiKey, isAdmin: entry.admin)))
        }
        return keys
    }

    /// Puts a reloaded config's API keys and bearer token in force for the next request: a
    /// removed or changed key is refused from then on (nothing remembers it), a new one admitted.
    /// Returns whether any key, or the principal a key names, changed: what was granted on the
    /// strength of the old keys (dashboard sessions) must then be granted again.
    @discardableResult
    public func replaceKeys(apiKeys: [APIKeySettings], bearerToken: String?) -> Bool {
        let keys = Self.knownKeys(apiKeys: apiKeys, bearerToken: bearerToken)
        return keySet.withLock { set in
            let changed = set.keys.count != keys.count
                || zip(set.keys, keys).contains { !SecretDigest.equal($0.digest, $1.digest) || $0.principal != $1.principal }
            set.keys = keys
            set.recent.removeAll()
            set.epoch += 1
            return changed
        }
    }

    /// Whether JWTs are verified (`auth.oauth`).
    public var verifiesTokens: Bool { tokenVerifier != nil }

    /// Authentication off: everyone is the unauthenticated principal (or their certificate's).
    public static let open = Authenticator(settings: AuthSettings(), bearerToken: nil)

    /// Whether `path` (no query) is served to anyone.
    public func isPublic(path: some StringProtocol) -> Bool {
        !publicPaths.isEmpty && publicPaths.contains(String(path))
    }

    /// The decision when it needs no I/O: every static key, a cached JWT verdict. Nil when a
    /// token must be verified (`decide`). The lean POST path takes only what this allows.
    public func decideNow(_ credentials: PresentedCredentials) -> AuthDecision? {
        guard isRequired else {
            if let peer = credentials.peer { return .allowed(peer) }
            guard !certificatesIdentify else {
                return .denied(AuthChallenge(status: 403, wwwAuthenticate: header([]),
                                             message: "Forbidden: the client certificate names no principal (mtls.client_principal)"))
            }
            return .allowed(.unauthenticated)
        }
        guard let token = credentials.token else {
            if credentials.offeredUnusable {
                return .denied(challenge(invalid: "the Authorization header must be 'Bearer <token>'"))
            }
            if let peer = credentials.peer { return .allowed(peer) }
            return .denied(missingCredential())
        }
        // One copy and one fingerprint of the token serve the key lookup and the JWT cache.
        let presented = String(token)
        let fingerprint = TokenFingerprint(of: presented)
        if let principal = knownKey(presented, fingerprint: fingerprint) { return .allowed(principal) }
        guard let tokenVerifier, Self.looksLikeJWT(token) else {
            return .denied(challenge(invalid: "the token is not valid"))
        }
        return tokenVerifier.cachedVerdict(for: presented, fingerprint: fingerprint).map(decision)
    }

    /// The decision, verifying a JWT against the issuer's keys when needed.
    public func decide(_ credentials: PresentedCredentials) async -> AuthDecision {
        if let now = decideNow(credentials) { return now }
        guard let token = credentials.token, let tokenVerifier else {
            return .denied(challenge(invalid: "the token is not valid"))
        }
        return decision(await tokenVerifier.verify(String(token)))
    }

    private func knownKey(_ token: String, fingerprint: TokenFingerprint) -> Principal? {
        let (keys, remembered, epoch) = keySet.withLock { set in (set.keys, set.recent[fingerprint], set.epoch) }
        if let remembered { return remembered }
        guard !keys.isEmpty else { return nil }
        let digest = SecretDigest.of(token)
        // Every key compared, no early exit: how long the check takes says nothing about which matched.
        var found: Principal?
        for key in keys where SecretDigest.equal(key.digest, digest) { found = key.principal }
        if let found {
            keySet.withLock { set in
                guard set.epoch == epoch else { return }
                if set.recent.count >= Self.recentKeyLimit { set.recent.removeAll(keepingCapacity: true) }
                set.recent[fingerprint] = found
            }
        }
        return found
    }

    /// Two dots: a JWT's shape. Over contiguous bytes: iterating a Substring's UTF-8 view cost
    /// ~30 instructions a byte (19k for a 620-byte token, callgrind).
    private static func looksLikeJWT(_ token: Substring) -> Bool {
        let counted = token.utf8.withContiguousStorageIfAvailable { bytes in
            var dots = 0
            for byte in bytes where byte == UInt8(ascii: ".") { dots += 1 }
            return dots
        }
        if let counted { return counted == 2 }
        var copy = String(token)
        return copy.withUTF8 { bytes in bytes.reduce(0) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) } } == 2
    }

    private func decision(_ verdict: TokenVerdict) -> AuthDecision {
        switch verdict {
        case .valid(let principal): return .allowed(principal)
        case .invalid(let reason): return .denied(challenge(invalid: reason))
        case .insufficientScope(let required):
            let scope = required.joined(separator: " ")
            return .denied(AuthChallenge(
                status: 403,
                wwwAuthenticate: header(["error=\"insufficient_scope\"", "scope=\"\(scope)\""]),
                message: "Forbidden: the token lacks a required scope (\(scope))"))
        }
    }

    private func missingCredential() -> AuthChallenge {
        AuthChallenge(status: 401, wwwAuthenticate: header([]),
                      message: "Unauthorized: send 'Authorization: Bearer <token>' or 'X-API-Key: <key>'")
    }

    private func challenge(invalid reason: String) -> AuthChallenge {
        let description = reason.replacingOccurrences(of: "\"", with: "'")
        return AuthChallenge(status: 401,
                             wwwAuthenticate: header(["error=\"invalid_token\"", "error_description=\"\(description)\""]),
                             message: "Unauthorized: \(reason)")
    }

    private func header(_ parameters: [String]) -> String {
        var all = ["realm=\"mcp-gateway\""]
        if let resourceMetadataURL { all.append("resource_metadata=\"\(resourceMetadataURL)\"") }
        return "Bearer " + (all + parameters).joined(separator: ", ")
    }
}
