// What to do about a backend that did not start or list its tools, from its error and the
// last lines it printed: the few causes that account for most first-run failures, each with
// the fix. Anything else is shown as it is.

enum DoctorHints {
    static func hint(error: String, transport: String, stderr: [String]) -> String? {
        let text = (error + "\n" + stderr.joined(separator: "\n")).lowercased()
        if transport == "stdio" {
            if text.contains("no such file") || text.contains("not found") || text.contains("cannot run") || text.contains("enoent") {
                return "the program is not installed or not on the gateway's PATH: install it or give 'command' an absolute path"
            }
            if text.contains("permission denied") {
                return "the program is not executable by this user: check its permissions"
            }
            if text.contains("modulenotfounderror") || text.contains("cannot find module") {
                return "the server's own dependencies are missing: install the package it belongs to"
            }
            if text.contains("exited") || text.contains("closed") {
                return "the process exited at start: run its command by hand to see why (its last stderr lines are above)"
            }
        } else {
            if text.contains("connection refused") || text.contains("connect") && text.contains("refused") {
                return "nothing listens at that address: is the server running, and is 'http_url' right?"
            }
            if text.contains("401") || text.contains("403") || text.contains("unauthorized") || text.contains("forbidden") {
                return "the server refused the credentials: check 'headers' (and the variables they use)"
            }
            if text.contains("404") {
                return "no MCP endpoint at that path: check 'http_url' (often .../mcp or .../sse)"
            }
            if text.contains("certificate") || text.contains("tls") || text.contains("ssl") {
                return "the TLS handshake failed: check the server's certificate and the URL's host name"
            }
            if text.contains("name resolution") || text.contains("resolve") || text.contains("unknown host") {
                return "the host name does not resolve: check 'http_url'"
            }
        }
        if text.contains("timed out") || text.contains("timeout") {
            return "it did not answer in time: raise the backend's 'timeout', or check that it starts on its own"
        }
        if text.contains("protocol") || text.contains("no protocol version in common") {
            return "it does not speak a protocol version the gateway does: pin one with 'protocol_version', or update it"
        }
        return nil
    }
}
