// `arguments_sha256`: the SHA-256 of the arguments' canonical JSON, in lowercase hex. The audit
// trail records it instead of the values: equal arguments can be matched across lines (and
// against a digest computed elsewhere) without the trail holding what was sent.

import Crypto
import GatewayAuth

public enum ArgumentDigest {
    /// The digest of `json`'s canonical form; arguments that are not valid JSON (a backend
    /// never gets such) are digested as they are.
    public static func sha256Hex(of json: [UInt8]) -> String {
        sha256Hex(canonical: CanonicalJSON.canonical(json), raw: json)
    }

    /// The same, from a canonical form already made (nil: `raw` was not valid JSON).
    public static func sha256Hex(canonical: [UInt8]?, raw: [UInt8]) -> String {
        SecretDigest.hex(bytes: Array(SHA256.hash(data: canonical ?? raw)))
    }
}
