// The contract between the gate and a bearer-token checker that is not a plain lookup (OAuth
// JWTs): a synchronous answer from its cache for the lean path, an asynchronous one that may
// fetch keys for everything else.

/// What a token checker concluded about one token.
public enum TokenVerdict: Sendable, Equatable {
    /// A valid token, and the caller it names.
    case valid(Principal)
    /// Not a valid token (bad signature, expired, wrong issuer or audience, unknown key...).
    /// The reason goes to debug logs and the `error_description`; it never repeats the token.
    case invalid(reason: String)
    /// A valid token without every required scope.
    case insufficientScope(required: [String])
}

public protocol TokenVerifier: Sendable {
    /// The verdict for a token checked before and still within its expiry, or nil when the
    /// token has to be verified (`verify`). Cheap: the lean POST path calls it on each request.
    func cachedVerdict(for token: String) -> TokenVerdict?
    /// Verifies a token, fetching the issuer's keys when needed.
    func verify(_ token: String) async -> TokenVerdict
    /// `cachedVerdict(for:)` with the token's fingerprint made already (the gate makes one per
    /// request for its remembered API keys; a verifier keyed the same way need not make another).
    func cachedVerdict(for token: String, fingerprint: TokenFingerprint) -> TokenVerdict?
}

extension TokenVerifier {
    public func cachedVerdict(for token: String, fingerprint: TokenFingerprint) -> TokenVerdict? {
        cachedVerdict(for: token)
    }
}
