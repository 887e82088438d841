// The forms a secret can take on its way out and back: an API that echoes the request (an error body
// quoting the URL, a JSON document repeating a header) shows it percent-encoded, form-encoded,
// JSON-escaped or base64-encoded, and each of those must be hidden as well as the secret itself.

import MCPProtocol

enum SecretRedaction {
    /// Secrets shorter than this are not redacted: replacing every "abc" in a response hides nothing.
    static let minimumLength = 4

    /// Every distinct form of every secret worth hiding, longest first (so that a form containing a
    /// shorter one is replaced whole).
    static func forms(of secrets: [String]) -> [String] {
        var forms = Set<String>()
        for secret in secrets where secret.count >= minimumLength {
            forms.insert(secret)
            let percent = URLEncoding.encodeComponent(secret)
            forms.insert(percent)
            forms.insert(lowercasedEscapes(percent))
            forms.insert(percent.replacingOccurrences(of: "%20", with: "+"))
            let json = JSONWriter.encodeString(.string(secret))
            let escaped = String(json.dropFirst().dropLast())
            forms.insert(escaped)
            forms.insert(escaped.replacingOccurrences(of: "/", with: "\\/"))
            forms.insert(Base64.encode(Array(secret.utf8)))
        }
        return forms.filter { $0.count >= minimumLength }.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// `%2F` → `%2f`: servers differ in the case of the hex digits they echo.
    private static func lowercasedEscapes(_ text: String) -> String {
        var output = ""
        var remaining = 0
        for character in text {
            if character == "%" {
                remaining = 2
                output.append(character)
            } else if remaining > 0 {
                remaining -= 1
                output.append(contentsOf: character.lowercased())
            } else {
                output.append(character)
            }
        }
        return output
    }
}
