// The gateway's own secrets, taken from its configuration, for the redactor to find
// literally: `auth.bearer_token` (a value, not `auto`), API keys given as `key`, and the
// credentials among backends' `env` and `headers` values and `telemetry.otlp.headers`. OAuth
// settings hold no secret.
//
// Not every env or header value is a secret: redacting `PATH`'s `/usr/local/bin` or an
// `Accept: application/json` from every result would wreck ordinary outputs. A value counts
// when its name says credential (a word such as token, secret, key, password, auth, cookie,
// credential) or when the value itself looks like one: a URL carrying a password, or a run of
// at least 16 characters without blanks or slashes that mixes upper case, lower case and
// digits. After `Bearer ` / `Basic ` / `Token ` in a header, the credential alone counts too.

import GatewayConfig

public enum ConfiguredSecrets {
    /// The secret values in `config`, each at least `minimumLength` bytes, without duplicates.
    public static func values(in config: GatewayConfig) -> [String] {
        var values: [String] = []
        if case .value(let token) = config.auth.bearerToken { values.append(token) }
        values += config.auth.apiKeys.compactMap(\.key)
        for backend in config.backends {
            for (name, value) in backend.env where isSecret(name: name, value: value) {
                values.append(value)
            }
            for (name, value) in backend.headers where isSecret(name: name, value: value) {
                values.append(value)
                if let credential = credential(afterSchemeIn: value) { values.append(credential) }
            }
        }
        // A collector's API key (`telemetry.otlp.headers`).
        for (name, value) in config.telemetry.otlp?.headers ?? [:] where isSecret(name: name, value: value) {
            values.append(value)
            if let credential = credential(afterSchemeIn: value) { values.append(credential) }
        }
        var seen = Set<String>()
        return values.filter { $0.utf8.count >= minimumLength && seen.insert($0).inserted }
    }

    /// Shorter values would match ordinary words.
    public static var minimumLength: Int { LiteralSecrets.minimumLength }

    /// Words that make a variable or header name a credential's.
    static let secretWords: Set<String> = [
        "token", "tokens", "secret", "secrets", "key", "apikey", "password", "passwd", "pwd", "pass", "passphrase",
        "auth", "authorization", "credential", "credentials", "cookie", "pat", "signature", "sig", "private",
        "session", "jwt", "bearer",
    ]

    /// Substrings that do the same inside a word (`PGPASSWORD`, `GITHUBTOKEN`).
    static let secretFragments = ["token", "secret", "password", "apikey", "accesskey", "privatekey", "credential"]

    public static func isSecret(name: String, value: String) -> Bool {
        guard value.utf8.count >= minimumLength else { return false }
        return isSecretName(name) || looksLikeCredential(value)
    }

    static func isSecretName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        let words = lowered.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        if words.contains(where: secretWords.contains) { return true }
        let joined = words.joined()
        return secretFragments.contains { joined.contains($0) }
    }

    static func looksLikeCredential(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        // scheme://user:password@host
        if let scheme = schemeSeparator(in: bytes) {
            let authority = bytes[(scheme + 3)...].prefix { $0 != UInt8(ascii: "/") }
            guard let at = authority.lastIndex(of: UInt8(ascii: "@")) else { return false }
            return authority[..<at].contains(UInt8(ascii: ":"))
        }
        guard bytes.count >= 16 else { return false }
        var upper = false, lower = false, digit = false
        for b in bytes {
            if b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "/") { return false }
            if ByteClass.isUpper(b) { upper = true } else if ByteClass.isLower(b) { lower = true } else if ByteClass.isDigit(b) { digit = true }
        }
        return upper && lower && digit
    }

    /// Where `://` is, if the value is a URL.
    private static func schemeSeparator(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        for i in 0...(bytes.count - 3)
        where bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/") {
            return i
        }
        return nil
    }

    /// `Bearer abc…` → `abc…`, for the schemes that carry a credential.
    static func credential(afterSchemeIn value: String) -> String? {
        for scheme in ["bearer ", "basic ", "token ", "bot "] where value.lowercased().hasPrefix(scheme) {
            let rest = value.dropFirst(scheme.count).drop { $0 == " " }
            return rest.isEmpty ? nil : String(rest)
        }
        return nil
    }
}
