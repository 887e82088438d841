// Reads `auth:`. The key names where the secret lives (env:NAME, file:PATH, {env.NAME}); a literal
// secret in the file is refused, so capability files can be shared without leaking anything.

import Foundation
import GatewayConfig
import Yams

extension CapabilityDecoder {
    mutating func authDefinition(_ node: Node, path: String) -> AuthDefinition {
        var auth = AuthDefinition()
        guard let entries = entries(of: node, section: .auth, path: path) else { return auth }
        var typeWritten = false
        // A type or key that was wrong is reported once; no follow-up complaints about their combination.
        var typeOrKeyFailed = false
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "type":
                guard let text = string(value, path: entry.path) else { break }
                typeWritten = true
                if let kind = AuthKind(rawValue: text.lowercased()) {
                    auth.kind = kind
                } else if text.lowercased() == "oauth" {
                    typeOrKeyFailed = true
                    error("auth type 'oauth' is not supported: get a token and use type: bearer with key: env:NAME",
                          at: value.mark, path: entry.path)
                } else {
                    typeOrKeyFailed = true
                    let hint = closestSuggestion(for: text, among: AuthKind.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                    error("unknown auth type '\(text)': use bearer, basic, api_key or none\(hint)", at: value.mark, path: entry.path)
                }
            case "key":
                guard let text = nonEmptyString(value, path: entry.path) else {
                    typeOrKeyFailed = true
                    break
                }
                auth.key = secretSource(text, mark: value.mark, path: entry.path)
                if auth.key == nil { typeOrKeyFailed = true }
            case "header":
                guard let text = string(value, path: entry.path) else { break }
                if let complaint = HeaderRules.nameProblem(text) {
                    error(complaint, at: value.mark, path: entry.path)
                } else {
                    auth.header = text
                }
            case "prefix":
                if let text = string(value, path: entry.path) { auth.prefix = text }
            case "param":
                if let text = nonEmptyString(value, path: entry.path) { auth.param = text }
            case "required":
                if let flag = bool(value, path: entry.path) { auth.required = flag }
            default:
                break
            }
        }
        // Reference files often give only a key: a bearer token is what they mean.
        if !typeWritten, auth.key != nil { auth.kind = .bearer }
        guard !typeOrKeyFailed else { return auth }
        if auth.kind != .none, auth.key == nil {
            error("auth type '\(auth.kind.rawValue)' needs 'key' (env:NAME or file:PATH)", at: node.mark, path: path)
        }
        if auth.kind == .none, auth.key != nil {
            error("auth type 'none' takes no 'key'", at: node.mark, path: path)
        }
        if auth.param != nil, auth.kind != .apiKey {
            error("'param' (the credential in the query) is only for type api_key", at: node.mark, path: path + ".param")
        }
        return auth
    }

    /// `env:NAME`, `{env.NAME}`, a bare upper-case `NAME`, or `file:PATH` (relative to the capability file).
    func parseSecretSource(_ text: String) -> Result<SecretSource, TemplateSyntaxError> {
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            return Template.isEnvironmentName(name) ? .success(.environment(name))
                : .failure(TemplateSyntaxError(message: "'\(name)' is not an environment variable name"))
        }
        if text.hasPrefix("{env."), text.hasSuffix("}") {
            let name = String(text.dropFirst(5).dropLast())
            return Template.isEnvironmentName(name) ? .success(.environment(name))
                : .failure(TemplateSyntaxError(message: "'\(name)' is not an environment variable name"))
        }
        if text.hasPrefix("file:") {
            var location = String(text.dropFirst(5))
            var field: String?
            // `file:/path/creds.json:a.b` reads field a.b of a JSON file (the reference's form).
            if let range = location.range(of: ".json:", options: .backwards) {
                field = String(location[range.upperBound...])
                location = String(location[..<location.index(range.lowerBound, offsetBy: 5)])
            }
            guard !location.isEmpty else { return .failure(TemplateSyntaxError(message: "'file:' needs a path")) }
            if !location.hasPrefix("/"), !location.hasPrefix("~"), let slash = file.lastIndex(of: "/") {
                location = String(file[...slash]) + location
            }
            return .success(.file(path: location, jsonField: field))
        }
        for scheme in ["keychain:", "oauth:", "{keychain."] where text.hasPrefix(scheme) {
            return .failure(TemplateSyntaxError(message: "'\(scheme)' secrets are not supported; use env:NAME or file:PATH"))
        }
        if Template.isEnvironmentName(text), text.uppercased() == text {
            return .success(.environment(text))
        }
        return .failure(TemplateSyntaxError(
            message: "a literal key is not accepted (it would be readable by anyone who can read this file): use env:NAME or file:PATH"))
    }

    private mutating func secretSource(_ text: String, mark: Mark?, path: String) -> SecretSource? {
        switch parseSecretSource(text) {
        case .success(let source):
            switch source {
            case .environment(let name): noteSecret(.environment(name), at: mark, path: path)
            case .file(let location, _): noteSecret(.file(location), at: mark, path: path)
            }
            return source
        case .failure(let problem):
            error(problem.message + " (in '\(path)')", at: mark, path: path)
            return nil
        }
    }
}
