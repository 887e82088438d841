// Clients write variables their own ways (`${env:VAR}` in Cursor, VS Code and Windsurf, `${VAR}`
// and `${VAR:-default}` in Claude Code, `${input:id}` for VS Code's prompted inputs,
// `${userHome}`, `${workspaceFolder}`). This rewrites one value into the gateway's syntax
// (`${VAR}`, `${VAR:-default}`, `$$` for a literal `$`) and says which variables it needs.

struct VariableSyntax {
    /// Variables the rewritten values refer to, with why (for the notes).
    var needed: [(name: String, why: String)] = []
    /// The folder `${workspaceFolder}` stands for (the project the file belongs to), if known.
    var workspaceFolder: String?

    mutating func rewrite(_ value: String, server: String) -> String {
        var out = ""
        var rest = Substring(value)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[rest.startIndex..<dollar]
            let after = rest[dollar...].dropFirst()
            guard after.first == "{", let close = after.firstIndex(of: "}") else {
                out += "$$"  // a literal dollar for the gateway
                rest = after
                continue
            }
            let inner = String(after[after.index(after: after.startIndex)..<close])
            out += reference(inner, server: server)
            rest = after[after.index(after: close)...]
        }
        out += rest
        return out
    }

    private mutating func reference(_ inner: String, server: String) -> String {
        if inner.hasPrefix("env:") { return variable(String(inner.dropFirst(4)), why: "used by \(server)") }
        if inner.hasPrefix("input:") {
            let name = Self.variableName(String(inner.dropFirst(6)))
            return variable(name, why: "VS Code input '\(inner.dropFirst(6))' of \(server) (VS Code keeps its value; set it here)")
        }
        switch inner {
        case "userHome": return "${HOME}"
        case "workspaceFolder":
            if let workspaceFolder { return workspaceFolder.split(separator: "$", omittingEmptySubsequences: false).joined(separator: "$$") }
            return variable("WORKSPACE_FOLDER", why: "the project folder \(server) was configured for")
        default:
            let name = inner.split(separator: ":", maxSplits: 1).first.map(String.init) ?? inner
            if Self.isVariableName(name) {
                if inner.dropFirst(name.count).hasPrefix(":-") {
                    return "${\(inner)}"  // the gateway reads ${NAME:-default} the same way
                }
                return variable(name, why: "used by \(server)")
            }
            return "$${\(inner)}"  // unknown to the gateway: kept as text
        }
    }

    mutating func variable(_ name: String, why: String) -> String {
        if !needed.contains(where: { $0.name == name }) { needed.append((name, why)) }
        return "${\(name)}"
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// An environment variable name made of `text`: letters and digits upper-cased, the rest `_`.
    static func variableName(_ text: String) -> String {
        var name = String(text.uppercased().unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        })
        if name.first?.isNumber ?? true { name = "_" + name }
        return name
    }
}
