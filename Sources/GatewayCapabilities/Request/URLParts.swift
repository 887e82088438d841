// The pieces of an absolute http(s) URL that the request builder and the SSRF guard need: scheme, host,
// port and the rest. Parsed by hand because Foundation's URL accepts far more than we want to send.

/// An absolute `http://` or `https://` URL split into its parts.
struct URLParts: Sendable, Equatable {
    var scheme: String
    /// Host name or address, without brackets for IPv6.
    var host: String
    /// The explicit port, if any.
    var port: Int?
    /// Path, query and fragment as written (starts with `/` or is empty).
    var rest: String

    var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    var isIPv6Literal: Bool { host.contains(":") }

    /// `host` or `host:port` as it goes in a Host header (brackets around IPv6).
    var authority: String {
        let hostText = isIPv6Literal ? "[\(host)]" : host
        return port.map { "\(hostText):\($0)" } ?? hostText
    }

    /// `scheme://authority`.
    var origin: String { "\(scheme)://\(authority)" }

    var text: String { origin + rest }

    /// nil unless the text is `http(s)://host[:port][/...]` with a plausible host and no user info.
    init?(_ text: String) {
        guard let separator = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        let hostIsValid = !host.isEmpty && host.allSatisfy { character in
            character.isASCII && (character.isLetter || character.isNumber || ".-_:%".contains(character))
        }
        guard hostIsValid else { return nil }
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy(\.isNumber), let port = Int(portText), (1...65535).contains(port) else {
                return nil
            }
            self.port = port
        } else {
            port = nil
        }
        self.scheme = scheme
        self.host = host.lowercased()
        rest = String(afterScheme[authorityEnd...])
    }

    /// The template's text with every argument placeholder replaced by `placeholderValue` and every
    /// environment reference by `placeholderValue` too (used to check a URL template's shape at load time).
    static func render(_ template: Template, placeholderValue: String) -> String {
        template.segments.map { segment -> String in
            switch segment {
            case .literal(let text): return text
            case .argument, .environment: return placeholderValue
            }
        }.joined()
    }
}
