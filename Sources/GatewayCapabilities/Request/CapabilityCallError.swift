// Every way a capability call can fail, with the message the model reads. Messages name the problem
// (the argument, the status, the refused address) and never contain a secret.

/// A failed call; `message` is what the tool result says.
enum CapabilityCallError: Error, Sendable, Equatable {
    case invalidArguments([SchemaViolation])
    case argumentsNotAnObject
    case badArgumentValue(argument: String, reason: String)
    case missingSecret(String)
    case invalidURL(String)
    case ssrfRefused(host: String, address: String)
    case unresolvableHost(String)
    case network(String)
    case timeout(Duration)
    case httpStatus(code: Int, reason: String, endpoint: String, detail: String)
    case tooManyRedirects
    /// A 307/308 would repeat a request body on another origin.
    case crossOriginRedirectWithBody(from: String, to: String)
    case responseTooLarge(Int)
    case graphQLErrors([String])
    case responsePathNotFound(String)

    var message: String {
        switch self {
        case .invalidArguments(let violations):
            let lines = violations.map { "- \($0)" }.joined(separator: "\n")
            return "invalid arguments (no request was sent):\n\(lines)"
        case .argumentsNotAnObject:
            return "invalid arguments: expected a JSON object of argument names to values"
        case .badArgumentValue(let argument, let reason):
            return "invalid arguments: '\(argument)' \(reason)"
        case .missingSecret(let source):
            return "this capability needs a credential from \(source), which is not set for the gateway"
        case .invalidURL(let url):
            return "the request URL is not valid: \(url)"
        case .ssrfRefused(let host, let address):
            return "refused: \(host) resolves to \(address), a private, loopback, link-local or otherwise special-use address; allow it with security.ssrf_allow in the gateway config if this is intended"
        case .unresolvableHost(let host):
            return "cannot resolve host \(host)"
        case .network(let detail):
            return "network error: \(detail)"
        case .timeout(let limit):
            return "the API did not answer within \(limit.formattedSeconds)"
        case .httpStatus(let code, let reason, let endpoint, let detail):
            let body = detail.isEmpty ? "" : ": \(detail)"
            return "HTTP \(code)\(reason.isEmpty ? "" : " \(reason)") from \(endpoint)\(body)"
        case .tooManyRedirects:
            return "too many redirects (more than \(RedirectPolicy.maxRedirects))"
        case .crossOriginRedirectWithBody(let from, let to):
            return "refused: \(from) redirected a request with a body to another origin (\(to)); the body is not sent there"
        case .responseTooLarge(let limit):
            return "the response is larger than \(limit / (1024 * 1024)) MiB and was not read"
        case .graphQLErrors(let messages):
            return "GraphQL errors: " + messages.joined(separator: "; ")
        case .responsePathNotFound(let path):
            return "the response has nothing at response_path '\(path)'"
        }
    }

    /// Worth trying the next provider: the API could not be reached or failed on its side.
    var allowsFallback: Bool {
        switch self {
        case .network, .timeout, .unresolvableHost: return true
        case .httpStatus(let code, _, _, _): return code >= 500
        default: return false
        }
    }
}

extension Duration {
    /// `2.5s`, `30s`, `250ms`.
    var formattedSeconds: String {
        let (scaled, overflow) = components.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return "\(components.seconds)s" }
        let milliseconds = scaled + components.attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(Double(milliseconds) / 1000)s"
    }
}
