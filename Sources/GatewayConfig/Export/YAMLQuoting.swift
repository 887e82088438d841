// YAML's double-quoted scalars, shared by the YAML the gateway writes (`config export` here,
// generated capability files in GatewayCapabilities): which characters may stand as themselves,
// and the one-line quoted form that reads back as exactly the text. Only escapes JSON has too are
// used, so a quoted string is also a JSON string (the export's JSON loads as YAML).

public enum YAMLQuoting {
    /// `"..."` with `\` escapes for `"`, `\`, line breaks, tabs and every character that is not
    /// printable; one line, whatever the text.
    public static func doubleQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if isPrintable(scalar) {
                    quoted.unicodeScalars.append(scalar)
                } else {
                    // Every scalar that is not printable is below U+10000: four digits hold it.
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    quoted += "\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
                }
            }
        }
        return quoted + "\""
    }

    /// Printable and not a line break in YAML 1.1 or 1.2: no C0 or C1 control (U+0085 is a line
    /// break), no DEL, no U+2028/U+2029 (line and paragraph separators), no byte-order mark or
    /// non-characters. The tab counts as a control: plain scalars and comments are kept free of it.
    public static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: return true
        case 0xA0...0xD7FF: return scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: return scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
