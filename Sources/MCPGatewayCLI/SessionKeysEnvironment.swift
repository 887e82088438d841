// The cluster's session keys from the environment: MCP_GATEWAY_SESSION_KEYS, base64 keys
// newest first, separated by commas or white space. Unset or empty: session ids are random
// and known to this process only. A value that is set but unusable stops the start, since
// instances that cannot read each other's sessions would break every client behind a load
// balancer in ways that are hard to trace.

import GatewaySealing

enum SessionKeysEnvironment {
    static let variable = "MCP_GATEWAY_SESSION_KEYS"

    static func keyRing(from environment: [String: String]) throws(SealingKeyError) -> SealingKeyRing? {
        guard let value = environment[variable] else { return nil }
        let keys = value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        guard !keys.isEmpty else { return nil }
        return try SealingKeyRing(base64Keys: keys)
    }
}
