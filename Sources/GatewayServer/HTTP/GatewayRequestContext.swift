// The request context of the HTTP front end: Hummingbird's basics plus the connection the
// request arrived on, so a 2026-07-28 POST can notice its client leaving (that is how such a
// client cancels), and the caller the gate admitted.

import GatewayAuth
import Hummingbird
import NIOCore

struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The caller, set by the RequestGate before routing; until then nobody's admin.
    var principal = Principal.anonymous

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
