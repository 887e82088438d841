// The OAuth 2.1 resource server's token check: a JWT is accepted when an asymmetric key the
// issuer publishes signed it and its claims name this gateway (issuer, audience, expiry,
// not-before, principal, scopes). Keys are fetched once and shared by concurrent verifies; a
// token naming a key not yet seen triggers a refetch (key rotation), at most once a minute, so a
// flood of invented `kid`s cannot make the gateway hammer the issuer. When keys cannot be
// fetched every token is refused (fail closed), and that refusal is never cached.

import Foundation
import GatewayConfig
import JWTKit
import Logging
import Synchronization

public final class JWTTokenVerifier: TokenVerifier {
    /// How often keys may be fetched (docs/security.md).
    struct Timing: Sendable {
        /// Least time between two fetches once a key set is held (unknown-`kid` refetches;
        /// `auth.oauth.refetch_interval`).
        var refetchInterval: Double = 60
        /// Least time between attempts while no key set has ever been fetched.
        var retryInterval: Double = 5
        /// Age after which the key set is refreshed (a key the issuer withdrew stops working).
        var maximumKeySetAge: Double = 3600
    }

    /// Longest token looked at.
    static let maximumTokenBytes = 16 * 1024

    private struct KeyState {
        var keySet: IssuerKeySet?
        var fetchedAt: Double?
        var attemptedAt: Double?
        var jwksURL: String?
        var inflight: Task<Void, Never>?
    }

    private let claimCheck: ClaimCheck
    private let fetcher: IssuerKeyFetcher
    private let timing: Timing
    private let now: @Sendable () -> Double
    private let logger: Logger
    private let cache: VerifiedTokenCache
    private let keyState = Mutex(KeyState())

    public convenience init(settings: OAuthSettings, logger: Logger) {
        var timing = Timing()
        timing.refetchInterval = Double(settings.refetchIntervalSeconds)
        self.init(settings: settings, logger: logger, fetch: IssuerKeyFetcher.http, timing: timing)
    }

    /// - Parameters: `fetch`, `timing` and `now` (seconds since 1970) replace the network, the
    ///   intervals and the clock in tests. The cache holds `settings.cacheSize` tokens.
    init(settings: OAuthSettings, logger: Logger, fetch: @escaping DocumentFetch, timing: Timing,
         now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        claimCheck = ClaimCheck(settings: settings)
        fetcher = IssuerKeyFetcher(issuer: settings.issuer, configuredJWKSURL: settings.jwksURL, fetch: fetch)
        self.timing = timing
        self.now = now
        self.logger = logger
        cache = VerifiedTokenCache(capacity: settings.cacheSize)
    }

    public func cachedVerdict(for token: String) -> TokenVerdict? {
        cache.verdict(for: VerifiedTokenCache.key(for: token), now: now())
    }

    public func cachedVerdict(for token: String, fingerprint: TokenFingerprint) -> TokenVerdict? {
        cache.verdict(for: fingerprint, now: now())
    }

    public func verify(_ token: String) async -> TokenVerdict {
        let cacheKey = VerifiedTokenCache.key(for: token)
        if let cached = cache.verdict(for: cacheKey, now: now()) { return cached }
        switch await check(token) {
        case .success(let (verdict, validUntil)):
            cache.store(verdict, for: cacheKey, validUntil: validUntil, now: now())
            return verdict
        case .failure(let refusal):
            logger.debug("OAuth token refused", metadata: ["reason": "\(refusal.reason)"])
            return .invalid(reason: refusal.reason)
        }
    }

    /// Fetches the issuer's keys now (at start), so the first request does not wait for them.
    /// A failure is logged; requests retry it.
    public func prefetchKeys() async {
        _ = await key(for: nil)
    }

    /// Verified tokens cached (tests, diagnostics).
    var cachedCount: Int { cache.count }

    private func check(_ token: String) async -> Result<(TokenVerdict, validUntil: Double), TokenRefusal> {
        guard token.utf8.count <= Self.maximumTokenBytes else { return .failure(.tooLong(Self.maximumTokenBytes)) }
        let header: JWTHeaderFields
        switch JWTHeaderFields.parse(token) {
        case .success(let parsed): header = parsed
        case .failure(let refusal): return .failure(refusal)
        }
        let issuerKey: IssuerKey
        switch await key(for: header.keyID) {
        case .success(let found): issuerKey = found
        case .failure(let refusal): return .failure(refusal)
        }
        guard let verifier = issuerKey.verifiers[header.algorithm] else {
            return .failure(.keyAlgorithmMismatch(header.algorithm))
        }
        let claims: JWTClaimSet
        do {
            claims = try await verifier.verify(token, as: JWTClaimSet.self)
        } catch let error as JWTError where error.errorType == .malformedToken {
            return .failure(.malformed)
        } catch {
            return .failure(.badSignature)
        }
        return claimCheck.verdict(for: claims.claims, now: now())
    }

    /// The key a token names, fetching the key set when there is none yet, when it is old, or
    /// when the `kid` is unknown, within the fetch intervals. Concurrent callers share one fetch.
    private func key(for keyID: String?) async -> Result<IssuerKey, TokenRefusal> {
        enum Step: Sendable {
            case found(IssuerKey)
            case wait(Task<Void, Never>)
            case refused(TokenRefusal)
        }
        let time = now()
        let step: Step = keyState.withLock { state in
            let known = state.keySet.map { $0.key(for: keyID) }
            let fresh = state.fetchedAt.map { time - $0 < timing.maximumKeySetAge } ?? false
            if case .success(let key)? = known, fresh { return .found(key) }
            if let inflight = state.inflight { return .wait(inflight) }
            if mayFetch(state, at: time) {
                state.attemptedAt = time
                let task = Task { await self.refreshKeys() }
                state.inflight = task
                return .wait(task)
            }
            switch known {
            case .success(let key)?: return .found(key)
            case .failure(let refusal)?: return .refused(refusal)
            case nil: return .refused(.keysUnavailable)
            }
        }
        switch step {
        case .found(let key): return .success(key)
        case .refused(let refusal): return .failure(refusal)
        case .wait(let task):
            await task.value
            return keyState.withLock { state in
                guard let keySet = state.keySet else { return .failure(.keysUnavailable) }
                return keySet.key(for: keyID)
            }
        }
    }

    private func mayFetch(_ state: KeyState, at time: Double) -> Bool {
        guard let attempted = state.attemptedAt, time >= attempted else { return true }
        let interval = state.keySet == nil ? timing.retryInterval : timing.refetchInterval
        return time - attempted >= interval
    }

    /// One fetch of the key set (and, the first time, of the JWKS URL). A failure keeps the
    /// keys held before, if any.
    private func refreshKeys() async {
        let knownURL = keyState.withLock { $0.jwksURL }
        do throws(IssuerKeyFetcher.Failure) {
            let jwksURL: String
            if let knownURL { jwksURL = knownURL } else { jwksURL = try await fetcher.jwksURL() }
            let keySet = try await fetcher.keySet(jwksURL: jwksURL)
            let fetchedAt = now()
            keyState.withLock { state in
                state.jwksURL = jwksURL
                state.keySet = keySet
                state.fetchedAt = fetchedAt
                state.inflight = nil
            }
            logger.debug("OAuth issuer keys fetched", metadata: [
                "jwks_url": "\(jwksURL)", "keys": "\(keySet.count)", "skipped": "\(keySet.skipped)",
            ])
        } catch {
            keyState.withLock { $0.inflight = nil }
            logger.warning("OAuth issuer keys could not be fetched; tokens are refused until they are",
                           metadata: ["issuer": "\(fetcher.issuer)", "problem": "\(error.description)"])
        }
    }
}
