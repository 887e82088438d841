// Resource URIs as clients see them: `mcp-gateway://<server>/<original, percent-encoded>`.
// The server name and the original URI are recovered exactly, for any original scheme.

public enum ResourceURIMapper {
    public static let scheme = "mcp-gateway"

    /// Unreserved characters stay; template braces stay so `{var}` still expands.
    static func encode(_ original: String, keepingBraces: Bool = false) -> String {
        var out = ""
        for byte in original.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "{") where keepingBraces, UInt8(ascii: "}") where keepingBraces:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    public static func gatewayURI(server: String, original: String) -> String {
        "\(scheme)://\(server)/\(encode(original))"
    }

    public static func gatewayTemplate(server: String, original: String) -> String {
        "\(scheme)://\(server)/\(encode(original, keepingBraces: true))"
    }

    /// (server, original URI) for a gateway URI; nil for anything else.
    public static func resolve(_ uri: String) -> (server: String, original: String)? {
        let prefix = "\(scheme)://"
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = uri.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let server = String(rest[..<slash])
        guard !server.isEmpty, let original = percentDecode(rest[rest.index(after: slash)...]) else { return nil }
        return (server, original)
    }

    static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
