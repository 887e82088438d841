// Reads `providers:` (primary and fallbacks) and each provider's `config:`. Templates are parsed here,
// and every placeholder is remembered so it can be checked against the input schema afterwards.

import MCPProtocol
import Yams

extension CapabilityDecoder {
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    mutating func providerSet(_ node: Node, path: String, uses: inout [PlaceholderUse])
        -> (primary: ProviderDefinition, fallbacks: [ProviderDefinition])? {
        guard let entries = entries(of: node, section: .providers, path: path) else { return nil }
        var primary: ProviderDefinition?
        var fallbacks: [ProviderDefinition] = []
        for entry in entries {
            if entry.key == "primary" {
                primary = provider(entry.value, path: entry.path, uses: &uses)
                continue
            }
            // `fallback` is a list; a single mapping is accepted as a list of one.
            let items: [Node]
            if case .sequence(let sequence) = entry.value { items = Array(sequence) } else { items = [entry.value] }
            for (index, item) in items.enumerated() {
                if let fallback = provider(item, path: "\(entry.path)[\(index)]", uses: &uses) { fallbacks.append(fallback) }
            }
        }
        if !entries.contains(where: { $0.key == "primary" }) {
            error("'providers' needs 'primary'", at: node.mark, path: path)
        }
        return primary.map { ($0, fallbacks) }
    }

    private mutating func provider(_ node: Node, path: String, uses: inout [PlaceholderUse]) -> ProviderDefinition? {
        guard let entries = entries(of: node, section: .provider, path: path) else { return nil }
        var service = ServiceKind.rest
        var timeout = ProviderDefinition.defaultTimeout
        var configEntry: CapabilityEntry?
        for entry in entries {
            switch entry.key {
            case "service":
                guard let text = string(entry.value, path: entry.path) else { break }
                if let kind = ServiceKind(rawValue: text) {
                    service = kind
                } else {
                    error("service '\(text)' cannot be executed: use 'rest' or 'graphql'", at: entry.value.mark, path: entry.path)
                }
            case "timeout":
                if let parsed = duration(entry.value, path: entry.path) { timeout = parsed }
            case "config":
                configEntry = entry
            default:
                break
            }
        }
        guard let configEntry else {
            error("'\(path)' needs 'config' (base_url, path, method, …)", at: node.mark, path: path)
            return nil
        }
        return providerConfig(configEntry.value, path: configEntry.path, service: service, timeout: timeout, uses: &uses)
    }

    private mutating func providerConfig(_ node: Node, path: String, service: ServiceKind, timeout: Duration,
                                         uses: inout [PlaceholderUse]) -> ProviderDefinition? {
        guard let entries = entries(of: node, section: .config, path: path) else { return nil }
        let errorsBefore = problems.filter(\.isError).count
        var provider = ProviderDefinition(service: service, baseURL: Template(literal: ""), timeout: timeout)
        var methodWritten: (String, Mark?)?
        var staticParams: [(name: String, value: Template)] = []
        var baseURLEntry: CapabilityEntry?
        var endpointEntry: CapabilityEntry?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "base_url":
                baseURLEntry = entry
                if let template = urlTemplate(value, path: entry.path, uses: &uses) { provider.baseURL = template }
            case "endpoint":
                endpointEntry = entry
                if let template = urlTemplate(value, path: entry.path, uses: &uses) { provider.baseURL = template }
            case "path":
                guard let text = string(value, path: entry.path) else { break }
                if !text.isEmpty, !text.hasPrefix("/") {
                    error("'\(entry.path)' must start with '/'", at: value.mark, path: entry.path)
                }
                if text.contains("?") || text.contains("#") {
                    error("'\(entry.path)' cannot contain '?' or '#': put query parameters in 'params'", at: value.mark, path: entry.path)
                }
                if let problem = Self.unencodedByte(in: text) {
                    error("'\(entry.path)' cannot contain \(problem): percent-encode it (a space is %20)", at: value.mark, path: entry.path)
                }
                if let template = template(text, mark: value.mark, path: entry.path, uses: &uses, isInURL: true) {
                    provider.path = template
                }
            case "method":
                guard let text = string(value, path: entry.path) else { break }
                let method = text.uppercased()
                if Self.methods.contains(method) {
                    provider.method = method
                    methodWritten = (method, value.mark)
                } else {
                    error("unknown HTTP method '\(text)' for '\(entry.path)'; use one of \(Self.methods.joined(separator: ", "))",
                          at: value.mark, path: entry.path)
                }
            case "headers":
                provider.headers = templateMap(value, path: entry.path, uses: &uses, isHeader: true)
            case "params":
                provider.params = templateMap(value, path: entry.path, uses: &uses, isHeader: false)
            case "static_params":
                for item in textMap(value, path: entry.path) ?? [] {
                    staticParams.append((item.key, Template(literal: item.value)))
                }
            case "body", "query":
                readBody(entry, service: service, into: &provider, uses: &uses)
            case "variables":
                guard service == .graphql else {
                    error("'variables' is for graphql providers; a REST body goes in 'body'", at: entry.keyMark, path: entry.path)
                    break
                }
                provider.graphQLVariables = jsonTemplate(value, path: entry.path, uses: &uses)
            case "body_content_type":
                guard let text = string(value, path: entry.path) else { break }
                switch text.lowercased() {
                case "", "json", "application/json": provider.bodyEncoding = .json
                case "form", "application/x-www-form-urlencoded": provider.bodyEncoding = .form
                default:
                    error("unsupported body_content_type '\(text)': use application/json or application/x-www-form-urlencoded",
                          at: value.mark, path: entry.path)
                }
            case "response_path":
                guard let text = string(value, path: entry.path) else { break }
                if let parsed = ResponsePath(text) {
                    provider.responsePath = parsed
                } else {
                    error("invalid response_path '\(text)': write a dot path like 'data.items' or 'results[0].name'",
                          at: value.mark, path: entry.path)
                }
            case "response_format":
                guard let text = string(value, path: entry.path) else { break }
                if !["", "json"].contains(text.lowercased()) {
                    error("response_format '\(text)' is not supported: responses are read as JSON or text", at: value.mark, path: entry.path)
                }
            default:
                break
            }
        }
        for item in staticParams where !provider.params.contains(where: { $0.name == item.name }) {
            provider.params.append(item)
        }
        if baseURLEntry != nil, let endpointEntry {
            error("write either 'endpoint' (a full URL) or 'base_url' and 'path', not both", at: endpointEntry.keyMark, path: endpointEntry.path)
        }
        if baseURLEntry == nil, endpointEntry == nil {
            error("'\(path)' needs 'base_url' (or 'endpoint')", at: node.mark, path: path)
        }
        if service == .graphql {
            if let (method, mark) = methodWritten, method != "POST" {
                error("a graphql provider always uses POST", at: mark, path: path + ".method")
            }
            provider.method = "POST"
            if provider.graphQLQuery == nil {
                error("a graphql provider needs the query document in 'body' (or 'query')", at: node.mark, path: path)
            }
        } else if provider.body != nil, ["GET", "HEAD"].contains(provider.method) {
            error("a \(provider.method) request has no body: put the values in 'params'", at: node.mark, path: path + ".body")
        }
        return problems.filter(\.isError).count == errorsBefore ? provider : nil
    }

    private mutating func readBody(_ entry: CapabilityEntry, service: ServiceKind, into provider: inout ProviderDefinition,
                                   uses: inout [PlaceholderUse]) {
        if service == .graphql {
            // The query document is GraphQL, full of braces: it is sent as written, never templated.
            if let text = nonEmptyString(entry.value, path: entry.path) { provider.graphQLQuery = text }
            return
        }
        guard entry.key == "body" else {
            error("'query' is for graphql providers; REST query parameters go in 'params'", at: entry.keyMark, path: entry.path)
            return
        }
        provider.body = jsonTemplate(entry.value, path: entry.path, uses: &uses)
    }

    /// A space or control character written into a URL or path, which would go out raw in the
    /// request line (the long fuzz run of 2026-12-07 found a path with spaces building such a
    /// URL); nil when there is none. Arguments are percent-encoded when they fill placeholders.
    static func unencodedByte(in text: String) -> String? {
        guard let byte = text.utf8.first(where: { $0 <= 0x20 || $0 == 0x7F }) else { return nil }
        return byte == 0x20 ? "a space" : "a control character (0x\(String(byte, radix: 16, uppercase: true)))"
    }

    /// base_url or endpoint: an http(s) URL whose scheme and host start are literal text.
    private mutating func urlTemplate(_ node: Node, path: String, uses: inout [PlaceholderUse]) -> Template? {
        guard let text = nonEmptyString(node, path: path) else { return nil }
        guard let parsed = template(text, mark: node.mark, path: path, uses: &uses, isInURL: true) else { return nil }
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            error("'\(path)' must be an http:// or https:// URL, found '\(text)'", at: node.mark, path: path)
            return nil
        }
        if text.contains("?") || text.contains("#") {
            error("'\(path)' cannot contain '?' or '#': put query parameters in 'params'", at: node.mark, path: path)
            return nil
        }
        if let problem = Self.unencodedByte(in: text) {
            error("'\(path)' cannot contain \(problem): percent-encode it (a space is %20)", at: node.mark, path: path)
            return nil
        }
        let sample = URLParts.render(parsed, placeholderValue: "x")
        if URLParts(sample) == nil {
            error("'\(path)' is not a valid URL: '\(text)'", at: node.mark, path: path)
            return nil
        }
        return parsed
    }

    mutating func template(_ text: String, mark: Mark?, path: String, uses: inout [PlaceholderUse], isInURL: Bool) -> Template? {
        switch Template.parse(text) {
        case .success(let parsed):
            for name in parsed.argumentNames.sorted() {
                uses.append(PlaceholderUse(name: name, mark: mark, path: path, isInURL: isInURL))
            }
            for name in parsed.environmentNames { noteSecret(.environment(name), at: mark, path: path) }
            return parsed
        case .failure(let problem):
            error("\(problem.message) (in '\(path)')", at: mark, path: path)
            return nil
        }
    }

    private mutating func templateMap(_ node: Node, path: String, uses: inout [PlaceholderUse], isHeader: Bool)
        -> [(name: String, value: Template)] {
        var result: [(name: String, value: Template)] = []
        for item in textMap(node, path: path) ?? [] {
            let itemPath = path + "." + item.key
            if isHeader, let complaint = HeaderRules.nameProblem(item.key) ?? HeaderRules.valueProblem(item.value) {
                error(complaint, at: item.mark, path: itemPath)
                continue
            }
            if let parsed = template(item.value, mark: item.mark, path: itemPath, uses: &uses, isInURL: false) {
                result.append((item.key, parsed))
            }
        }
        return result
    }

    private mutating func jsonTemplate(_ node: Node, path: String, uses: inout [PlaceholderUse]) -> JSONTemplate? {
        switch JSONTemplate.parse(YAMLValue.json(node)) {
        case .success(let parsed):
            for name in parsed.argumentNames.sorted() {
                uses.append(PlaceholderUse(name: name, mark: node.mark, path: path, isInURL: false))
            }
            for name in parsed.environmentNames { noteSecret(.environment(name), at: node.mark, path: path) }
            return parsed
        case .failure(let problem):
            error("\(problem.message) (in '\(path)')", at: node.mark, path: path)
            return nil
        }
    }
}
