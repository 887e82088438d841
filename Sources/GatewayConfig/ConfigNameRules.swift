// What makes a backend name, an environment variable name or an HTTP header acceptable.
// Each rule returns a complaint to show the user, or nil when the name is fine.

enum ConfigNameRules {
    /// Backend names become tool-name prefixes, and clients accept only `[A-Za-z0-9_-]` there.
    static func backendNameProblem(_ name: String) -> String? {
        let isValid = !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar == "_" || scalar == "-" || scalar.properties.isAlphabetic
                || ("0"..."9").contains(scalar))
        }
        guard !isValid else { return nil }
        return "invalid backend name '\(name)': use only letters, digits, '_' and '-' (the name becomes a prefix of tool names)"
    }

    /// The MCP specification's tool names: 1 to 128 of `A-Z a-z 0-9 _ - .`.
    static func toolNameProblem(_ name: String) -> String? {
        let isValid = (1...128).contains(name.utf8.count) && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar == "_" || scalar == "-" || scalar == "." || scalar.properties.isAlphabetic
                || ("0"..."9").contains(scalar))
        }
        return isValid ? nil : "invalid tool name '\(name)': use 1 to 128 letters, digits, '_', '-' and '.', as the MCP specification asks"
    }

    static func environmentNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "an environment variable name cannot be empty" }
        if name.contains("=") || name.contains("\0") {
            return "invalid environment variable name '\(name)': it cannot contain '=' or NUL"
        }
        return nil
    }

    /// RFC 9110 token characters, so a configured header can never break the request framing.
    static func headerNameProblem(_ name: String) -> String? {
        let symbols: Set<Unicode.Scalar> = ["!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~"]
        let isToken = !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (symbols.contains(scalar) || scalar.properties.isAlphabetic
                || ("0"..."9").contains(scalar))
        }
        return isToken ? nil : "invalid HTTP header name '\(name)'"
    }

    static func headerValueProblem(_ value: String) -> String? {
        let isSafe = !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
        return isSafe ? nil : "an HTTP header value cannot contain line breaks or NUL"
    }
}
