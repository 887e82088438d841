// The scopes in force, swappable on config reload, and the catalog views built from them:
// one view per combination of rules and catalog generation, reused by every principal that
// shares it, so filtering a 10k-tool catalog is paid once per change, not per request.

import GatewayAuth
import GatewayConfig
import GatewayGovernance
import Synchronization

public final class AccessControl: Sendable {
    private let policyBox: Mutex<AccessPolicy>
    private let views = Mutex<[String: CatalogView]>([:])
    /// Distinct rule combinations are few; a bound keeps a pathological config from growing it.
    static let viewLimit = 256

    public init(config: GatewayConfig) {
        policyBox = Mutex(AccessPolicy(config: config))
    }

    public var policy: AccessPolicy { policyBox.withLock { $0 } }

    /// Whether any scope exists: answers may differ per principal (private caching).
    public var isInForce: Bool { policy.isInForce }

    /// Applies the scopes of a reloaded config.
    public func update(config: GatewayConfig) {
        policyBox.withLock { $0 = AccessPolicy(config: config) }
        views.withLock { $0.removeAll() }
    }

    public func access(for principal: Principal) -> PrincipalAccess {
        policy.access(for: principal)
    }

    /// `snapshot` as `principal` sees it.
    public func view(of snapshot: CatalogSnapshot, for principal: Principal) -> CatalogView {
        let policy = self.policy
        guard policy.isInForce else { return CatalogView(unrestricted: snapshot) }
        let access = policy.access(for: principal)
        guard !access.isUnrestricted else { return CatalogView(unrestricted: snapshot) }
        let key = "\(policy.epoch)/\(snapshot.generation)/\(access.id)"
        if let known = views.withLock({ $0[key] }) { return known }
        let view = CatalogView(snapshot: snapshot, access: access)
        views.withLock { cache in
            // Views of older generations are dead weight once the catalog has moved on.
            if cache.count >= Self.viewLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = view
        }
        return view
    }
}
