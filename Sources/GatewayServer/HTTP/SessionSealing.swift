// Session ids that carry their session. Sealed with the cluster's key ring
// (MCP_GATEWAY_SESSION_KEYS), an `Mcp-Session-Id` holds the owner, the negotiated protocol
// version, the client's capabilities and an expiry, so every instance that shares the keys can
// serve any request of the session: the first request it sees re-creates the session there
// (SessionStore.session). Nobody can read or forge one without a key; the owner is checked
// against the caller on every instance, as for a local session.

import Foundation
import GatewayCore
import GatewaySealing
import MCPProtocol

struct SessionSealing: Sendable {
    struct Claims: Sendable, Equatable {
        var owner: String
        var protocolVersion: String
        var capabilities: JSONValue?
        /// Seconds since 1970 after which the id is refused everywhere.
        var expires: Int
    }

    let ring: SealingKeyRing
    /// Authenticated with every id: an id of /mcp does not open as one of /mcp/{backend}.
    let purpose: String
    /// How long a sealed session lives from initialize: the bound on how long an id stays
    /// valid on an instance that never saw it, and on how long a deleted one is remembered.
    let lifetime: Duration

    static let defaultLifetime = Duration.seconds(24 * 3600)

    init(ring: SealingKeyRing, purpose: String, lifetime: Duration = defaultLifetime) {
        self.ring = ring
        self.purpose = purpose
        self.lifetime = lifetime
    }

    func mint(_ context: ClientContext, now: Date = Date()) -> (id: String, claims: Claims)? {
        let claims = Claims(owner: context.principal.owner, protocolVersion: context.protocolVersion,
                            capabilities: context.capabilities,
                            expires: Int(now.timeIntervalSince1970) + Int(lifetime.components.seconds))
        var fields: [(String, JSONValue)] = [
            ("o", .string(claims.owner)), ("v", .string(claims.protocolVersion)), ("e", .int(claims.expires)),
            // Random bytes so that two sessions of one client never share an id.
            ("n", .string(UUID().uuidString)),
        ]
        if let capabilities = claims.capabilities { fields.append(("c", Self.sealable(capabilities))) }
        guard let id = ring.seal(JSONWriter.encode(.object(JSONObject(fields))), purpose: purpose) else { return nil }
        return (id, claims)
    }

    /// Past this many bytes of capabilities JSON only the members the gateway and backends act
    /// on are sealed: the id travels in a header on every request, and proxies refuse headers
    /// of more than a few kilobytes (nginx: 8 KB). Real clients send a few hundred bytes.
    static let capabilitiesLimit = 2048

    static func sealable(_ capabilities: JSONValue) -> JSONValue {
        guard JSONWriter.encode(capabilities).count > capabilitiesLimit, let object = capabilities.objectValue else {
            return capabilities
        }
        let kept = object.members.filter { ["roots", "sampling", "elicitation"].contains($0.key) }
        let trimmed = JSONValue.object(JSONObject(kept))
        return JSONWriter.encode(trimmed).count > capabilitiesLimit ? .object(JSONObject(kept.map { ($0.key, .object(JSONObject())) })) : trimmed
    }

    /// The claims of `id` if a key of the ring sealed it for this purpose and it has not expired.
    func open(_ id: String, now: Date = Date()) -> Claims? {
        guard id.hasPrefix("v1."), let plain = ring.open(id, purpose: purpose),
              let value = try? JSONParser.parse(plain),
              let owner = value["o"]?.stringValue, let version = value["v"]?.stringValue,
              let expires = value["e"]?.intValue, expires > Int(now.timeIntervalSince1970) else { return nil }
        return Claims(owner: owner, protocolVersion: version, capabilities: value["c"], expires: expires)
    }
}
