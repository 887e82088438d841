// The Authenticator in force, shared by every front end's copy of the gate: a config reload
// puts a new one here (whether a credential is required, the keys, the public paths) and the
// next request on any entry path is decided by it. One uncontended lock read per request.

import GatewayAuth
import Synchronization

final class AuthenticatorBox: Sendable {
    private let authenticator: Mutex<Authenticator>

    init(_ authenticator: Authenticator) {
        self.authenticator = Mutex(authenticator)
    }

    var current: Authenticator { authenticator.withLock { $0 } }

    func replace(_ next: Authenticator) {
        authenticator.withLock { $0 = next }
    }
}
