// Which imported values are secrets: by the name they are stored under (TOKEN, KEY, SECRET,
// PASSWORD, AUTH... and the Authorization, Cookie and API-key headers) or by their shape (the
// prefixes of well-known credentials). A secret is written as a `${VAR}` reference, never in clear,
// unless the user asks for `--keep-secrets`. Erring towards "secret" costs one variable to set.

enum SecretDetector {
    /// Words of a name that make it a secret's (GITHUB_TOKEN, OPENAI_API_KEY, DB_PASS) ...
    static let secretWords: Set<String> = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASS", "PWD", "KEY", "AUTH",
                                           "CREDENTIAL", "CREDENTIALS", "COOKIE", "SESSION", "PAT", "PRIVATE",
                                           "SIGNATURE", "BEARER", "DSN"]
    /// ... and parts that do so inside a longer word (APIKEY, ACCESSTOKEN, CLIENTSECRET).
    static let secretParts = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "CREDENTIAL"]
    static let secretPrefixes = ["ghp_", "gho_", "ghu_", "ghs_", "github_pat_", "sk-", "sk_live_", "sk_test_", "xoxb-",
                                 "xoxp-", "xoxa-", "AKIA", "ASIA", "glpat-", "hf_", "AIza", "ya29.", "eyJ"]

    static func isSecret(name: String, value: String) -> Bool {
        if value.isEmpty || isReferenceOnly(value) { return false }
        let words = name.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        if words.contains(where: { word in secretWords.contains(word) || secretParts.contains(where: { word.contains($0) }) }) {
            return true
        }
        let lowered = name.lowercased()
        if ["authorization", "cookie", "proxy-authorization"].contains(lowered) { return true }
        return secretPrefixes.contains { value.hasPrefix($0) } || value.lowercased().hasPrefix("bearer ")
    }

    /// A value made of variable references, perhaps after an auth scheme ("Bearer ${input:token}"):
    /// the secret is elsewhere already, nothing to hide here.
    static func isReferenceOnly(_ value: String) -> Bool {
        var remainder = ""
        var sawReference = false
        var index = value.startIndex
        while index < value.endIndex {
            let next = value.index(after: index)
            if value[index] == "$", next < value.endIndex, value[next] == "{" {
                guard let end = value[next...].firstIndex(of: "}") else { return false }
                sawReference = true
                index = value.index(after: end)
                continue
            }
            remainder.append(value[index])
            index = next
        }
        let words = remainder.split(separator: " ").map { $0.lowercased() }
        return sawReference && words.allSatisfy { ["bearer", "basic", "token"].contains($0) }
    }
}
