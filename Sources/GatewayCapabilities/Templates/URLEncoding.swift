// Percent-encoding of values placed into URLs. Everything but RFC 3986 unreserved characters is encoded,
// so a value can never add a path segment, a query parameter or a fragment.

enum URLEncoding {
    private static let hexDigits = Array("0123456789ABCDEF")

    /// `A-Z a-z 0-9 - . _ ~` stay; every other UTF-8 byte becomes `%XX`.
    static func encodeComponent(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output.append("%")
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return output
    }

    /// A value inside a path: also encodes the dots of `.` and `..`, which servers would otherwise
    /// resolve as "this directory" and "the parent directory".
    static func encodePathSegment(_ value: String) -> String {
        if value == "." { return "%2E" }
        if value == ".." { return "%2E%2E" }
        return encodeComponent(value)
    }

    /// A value placed into a host name must be DNS-label text; nil when it is not.
    static func hostLabel(_ value: String) -> String? {
        let isLabel = !value.isEmpty && value.utf8.count <= 63 && value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D
        }
        return isLabel ? value : nil
    }

    /// `a=1&b=2`, each name and value encoded.
    static func queryString(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { encodeComponent($0.name) + "=" + encodeComponent($0.value) }.joined(separator: "&")
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }
}
