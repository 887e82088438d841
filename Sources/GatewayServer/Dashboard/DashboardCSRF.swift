// The dashboard's CSRF tokens: an HMAC of the principal's identity under a key made at start,
// embedded in every admin form and required on every admin POST. A page of another origin
// cannot read it (and the Origin check refuses its POST anyway); a token is bound to its
// principal, so one admin's token is no use to another caller. Tokens change at restart.

import Crypto
import Foundation
import GatewayAuth

struct DashboardCSRF: Sendable {
    private let key = SymmetricKey(size: .bits256)

    func token(for principal: Principal) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(Self.identity(principal).utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compared in constant time.
    func isValid(_ token: String?, for principal: Principal) -> Bool {
        guard let token, let mac = Self.decode(token) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(Self.identity(principal).utf8), using: key)
    }

    private static func identity(_ principal: Principal) -> String {
        "\(principal.method)\u{0}\(principal.name)"
    }

    private static func decode(_ token: String) -> Data? {
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), data.count == SHA256.byteCount else { return nil }
        return data
    }
}
