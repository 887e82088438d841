// VS Code's and Zed's settings files are JSONC: `//` and `/* */` comments and trailing commas.
// This turns such text into plain JSON, leaving strings untouched (a URL's `//` is not a comment).
// Comments and trailing commas become spaces (line breaks kept), so every byte keeps its offset:
// a range found in the plain JSON is the same range in the file, which is how `--rewire` edits
// one section of a settings file and leaves the rest, comments included, as the user wrote it.

enum JSONCText {
    static func plainJSON(_ text: String) -> String {
        String(decoding: plainBytes(Array(text.utf8)), as: UTF8.self)
    }

    /// `bytes` as plain JSON of the same length.
    static func plainBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    out.append(bytes[index + 1])
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                out.append(byte)
                index += 1
            } else if let end = commentEnd(bytes, at: index) {
                for skipped in bytes[index..<end] { out.append(skipped == UInt8(ascii: "\n") ? skipped : UInt8(ascii: " ")) }
                index = end
            } else if byte == UInt8(ascii: ","), closesAfterBlanks(bytes, from: index + 1) {
                out.append(UInt8(ascii: " "))  // a trailing comma
                index += 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// Where the comment starting at `index` ends (past it), or nil when none starts there.
    private static func commentEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        guard bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count else { return nil }
        var end = index + 2
        switch bytes[index + 1] {
        case UInt8(ascii: "/"):
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            return end
        case UInt8(ascii: "*"):
            while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "*") && bytes[end + 1] == UInt8(ascii: "/")) { end += 1 }
            return min(end + 2, bytes.count)
        default:
            return nil
        }
    }

    /// Whether only blanks and comments stand between `index` and a closing bracket.
    private static func closesAfterBlanks(_ bytes: [UInt8], from index: Int) -> Bool {
        var ahead = index
        while ahead < bytes.count {
            switch bytes[ahead] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                ahead += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                return true
            default:
                guard let end = commentEnd(bytes, at: ahead) else { return false }
                ahead = end
            }
        }
        return false
    }
}
