// VS Code's and Zed's settings files are JSONC: `//` and `/* */` comments and trailing commas.
// This turns such text into plain JSON, leaving strings untouched (a URL's `//` is not a comment).

enum JSONCText {
    static func plainJSON(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
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
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
                out.append(byte)
                index += 1
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                index += 2
            } else if byte == UInt8(ascii: ",") {
                // A comma followed (past blanks and comments) by a closing bracket is dropped.
                var ahead = index + 1
                while ahead < bytes.count {
                    let next = bytes[ahead]
                    if next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") {
                        ahead += 1
                    } else if next == UInt8(ascii: "/"), ahead + 1 < bytes.count, bytes[ahead + 1] == UInt8(ascii: "/") {
                        while ahead < bytes.count, bytes[ahead] != UInt8(ascii: "\n") { ahead += 1 }
                    } else if next == UInt8(ascii: "/"), ahead + 1 < bytes.count, bytes[ahead + 1] == UInt8(ascii: "*") {
                        ahead += 2
                        while ahead + 1 < bytes.count, !(bytes[ahead] == UInt8(ascii: "*") && bytes[ahead + 1] == UInt8(ascii: "/")) {
                            ahead += 1
                        }
                        ahead += 2
                    } else {
                        break
                    }
                }
                if ahead < bytes.count, bytes[ahead] == UInt8(ascii: "}") || bytes[ahead] == UInt8(ascii: "]") {
                    index += 1
                } else {
                    out.append(byte)
                    index += 1
                }
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
