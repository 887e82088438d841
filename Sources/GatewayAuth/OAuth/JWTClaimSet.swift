// A token's claims, decoded once after its signature verified, and the checks every accepted
// token passes: issuer, audience (RFC 8707), expiry and not-before with leeway, the principal
// claim, and the required scopes. The outcome is a verdict and how long it may be cached.

import GatewayConfig
import JWTKit

/// One JSON value of a claim. Claims names are configurable (`principal_claim`, `groups_claim`),
/// so the payload is kept as a dictionary rather than a fixed struct.
enum ClaimValue: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([ClaimValue])
    case object([String: ClaimValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ClaimValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ClaimValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Strings of an array, or the words of a space-separated string (both forms are in use
    /// for `scope`, `scp` and groups claims); other values give none.
    var words: [String] {
        switch self {
        case .string(let text): return text.split(separator: " ").map(String.init)
        case .array(let items): return items.compactMap { if case .string(let text) = $0, !text.isEmpty { text } else { nil } }
        default: return []
        }
    }
}

/// The payload handed to jwt-kit: it decodes only after the signature verified; the claims are
/// checked by `ClaimCheck`, which knows the configured names, so `verify(using:)` does nothing.
struct JWTClaimSet: JWTPayload {
    let claims: [String: ClaimValue]

    init(claims: [String: ClaimValue]) { self.claims = claims }

    init(from decoder: any Decoder) throws {
        claims = try decoder.singleValueContainer().decode([String: ClaimValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(claims)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The claim checks of one configured issuer.
struct ClaimCheck: Sendable {
    let settings: OAuthSettings
    private let adminGroups: Set<String>

    init(settings: OAuthSettings) {
        self.settings = settings
        adminGroups = Set(settings.adminGroups)
    }

    /// The verdict for verified claims at `now` (seconds since 1970), and until when it holds
    /// (`exp` plus leeway); a refusal otherwise.
    func verdict(for claims: [String: ClaimValue], now: Double) -> Result<(TokenVerdict, validUntil: Double), TokenRefusal> {
        let leeway = Double(settings.leewaySeconds)
        guard case .string(let issuer) = claims["iss"], issuer == settings.issuer else { return .failure(.wrongIssuer) }
        let audiences: [String]
        switch claims["aud"] {
        case .string(let audience): audiences = [audience]
        case .array: audiences = claims["aud"]?.words ?? []
        default: audiences = []
        }
        guard audiences.contains(settings.audience) else { return .failure(.wrongAudience) }
        guard case .number(let expiry) = claims["exp"], expiry.isFinite else { return .failure(.missingExpiry) }
        guard now < expiry + leeway else { return .failure(.expired) }
        if let notBefore = claims["nbf"] {
            guard case .number(let start) = notBefore, start.isFinite else { return .failure(.malformed) }
            guard now + leeway >= start else { return .failure(.notYetValid) }
        }
        guard case .string(let name) = claims[settings.principalClaim], !name.isEmpty else {
            return .failure(.missingPrincipal(settings.principalClaim))
        }
        let groups = claims[settings.groupsClaim]?.words ?? []
        let scopes = (claims["scope"] ?? claims["scp"])?.words ?? []
        let validUntil = expiry + leeway
        let missing = settings.requiredScopes.filter { !scopes.contains($0) }
        if !missing.isEmpty { return .success((.insufficientScope(required: settings.requiredScopes), validUntil)) }
        let isAdmin = !adminGroups.isEmpty && (groups.contains(where: adminGroups.contains) || scopes.contains(where: adminGroups.contains))
        let principal = Principal(name: name, method: .oauth, groups: groups, scopes: scopes, isAdmin: isAdmin, expiresAt: expiry)
        return .success((.valid(principal), validUntil))
    }
}
