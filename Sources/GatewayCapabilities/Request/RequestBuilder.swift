// Builds the HTTP request of one provider from validated arguments. Each template segment is filled on
// its own and encoded for where it lands (host label, path segment, query value, header, JSON), and a
// filled value is never scanned again: caller text cannot reach the secret lookup.

import MCPProtocol

struct RequestBuilder {
    let definition: CapabilityDefinition
    let provider: ProviderDefinition
    let resolver: SecretResolver
    /// Sent unless the file sets its own.
    static let userAgent = "mcp-gateway/\(GatewayVersion.current) (capabilities)"

    /// Where a filled value lands, which decides its encoding.
    private enum Placement {
        case url
        case query
        case header
        case text
    }

    func build(arguments: JSONObject) throws(CapabilityCallError) -> PreparedRequest {
        var usedSecrets: [String] = []
        var consumed = Set<String>()
        let base = try renderURLTemplate(provider.baseURL, arguments: arguments, secrets: &usedSecrets)
        let path = try render(provider.path, .url, arguments: arguments, secrets: &usedSecrets) ?? ""
        consumed.formUnion(provider.baseURL.argumentNames)
        consumed.formUnion(provider.path.argumentNames)
        var url = base
        if !path.isEmpty {
            url = (url.hasSuffix("/") ? String(url.dropLast()) : url) + path
        }
        guard URLParts(url) != nil else { throw .invalidURL(url) }

        var query: [(name: String, value: String)] = []
        for param in provider.params {
            consumed.formUnion(param.value.argumentNames)
            guard let value = try render(param.value, .query, arguments: arguments, secrets: &usedSecrets),
                  !value.isEmpty else { continue }
            query.append((param.name, value))
        }
        var headers: [(name: String, value: String)] = []
        for header in provider.headers {
            consumed.formUnion(header.value.argumentNames)
            guard let value = try render(header.value, .header, arguments: arguments, secrets: &usedSecrets) else { continue }
            headers.append((header.name, value))
        }
        try addAuth(to: &headers, query: &query, secrets: &usedSecrets)
        if !query.isEmpty { url += "?" + URLEncoding.queryString(query) }

        var body: [UInt8]?
        switch provider.service {
        case .graphql:
            body = try graphQLBody(arguments: arguments, secrets: &usedSecrets)
            setDefault("Content-Type", "application/json", in: &headers)
        case .rest:
            if let template = provider.body {
                let value = try renderJSON(template, arguments: arguments, secrets: &usedSecrets) ?? .object(JSONObject())
                body = try encodeBody(value)
            } else if ["POST", "PUT", "PATCH"].contains(provider.method) {
                // No template: the arguments no template used are the body (the reference sends them all).
                var remaining = JSONObject()
                for member in arguments.members where !consumed.contains(member.key) && !member.value.isNull {
                    remaining[member.key] = member.value
                }
                body = try encodeBody(.object(remaining))
            }
            if body != nil {
                setDefault("Content-Type", provider.bodyEncoding == .form ? "application/x-www-form-urlencoded" : "application/json",
                           in: &headers)
            }
        }
        setDefault("Accept", "application/json", in: &headers)
        setDefault("User-Agent", Self.userAgent, in: &headers)
        var request = PreparedRequest(method: provider.method, url: url, headers: headers, body: body)
        request.secrets = usedSecrets
        return request
    }

    // MARK: templates

    /// base_url / endpoint: a value in the host must be a DNS label; after the host, a path segment.
    private func renderURLTemplate(_ template: Template, arguments: JSONObject,
                                   secrets: inout [String]) throws(CapabilityCallError) -> String {
        var output = ""
        for segment in template.segments {
            let inAuthority: Bool = {
                guard let schemeEnd = output.firstRange(of: "://") else { return true }
                return !output[schemeEnd.upperBound...].contains("/")
            }()
            let raw: String
            let name: String
            switch segment {
            case .literal(let text):
                output += text
                continue
            case .argument(let argument):
                guard let value = arguments[argument].flatMap(ArgumentText.render) else {
                    throw .badArgumentValue(argument: argument, reason: "is required (it is part of the URL)")
                }
                raw = value
                name = argument
            case .environment(let variable):
                guard let value = environmentSecret(variable, &secrets) else { throw .missingSecret("env:\(variable)") }
                raw = value
                name = "env:\(variable)"
            }
            if inAuthority {
                guard let label = URLEncoding.hostLabel(raw) else {
                    throw .badArgumentValue(argument: name, reason: "must be a host name label (letters, digits and '-')")
                }
                output += label
            } else {
                output += URLEncoding.encodePathSegment(raw)
            }
        }
        return output
    }

    /// The filled template, or nil when an argument it uses was not given (the caller skips that part).
    private func render(_ template: Template, _ placement: Placement, arguments: JSONObject,
                        secrets: inout [String]) throws(CapabilityCallError) -> String? {
        var output = ""
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                output += text
            case .argument(let name):
                guard let value = arguments[name].flatMap(ArgumentText.render) else {
                    if placement == .url { throw .badArgumentValue(argument: name, reason: "is required (it is part of the URL path)") }
                    return nil
                }
                output += try place(value, placement, argument: name)
            case .environment(let variable):
                guard let value = environmentSecret(variable, &secrets) else { throw .missingSecret("env:\(variable)") }
                output += try place(value, placement, argument: "env:\(variable)")
            }
        }
        return output
    }

    private func place(_ value: String, _ placement: Placement, argument: String) throws(CapabilityCallError) -> String {
        switch placement {
        case .url:
            return URLEncoding.encodePathSegment(value)
        case .header:
            if HeaderRules.valueProblem(value) != nil {
                throw .badArgumentValue(argument: argument, reason: "cannot contain line breaks (it goes in an HTTP header)")
            }
            return value
        case .query, .text:
            return value
        }
    }

    private func environmentSecret(_ variable: String, _ used: inout [String]) -> String? {
        guard let value = resolver.environmentValue(variable) else { return nil }
        used.append(value)
        return value
    }

    /// A JSON template filled: `"{x}"` keeps x's type; keys whose arguments are missing are dropped.
    private func renderJSON(_ template: JSONTemplate, arguments: JSONObject,
                            secrets: inout [String]) throws(CapabilityCallError) -> JSONValue? {
        switch template {
        case .constant(let value):
            return value
        case .text(let text):
            if let name = text.singleArgument {
                guard let value = arguments[name], !value.isNull else { return nil }
                return value
            }
            return try render(text, .text, arguments: arguments, secrets: &secrets).map { .string($0) }
        case .array(let items):
            var rendered: [JSONValue] = []
            for item in items {
                if let value = try renderJSON(item, arguments: arguments, secrets: &secrets) { rendered.append(value) }
            }
            return .array(rendered)
        case .object(let members):
            var object = JSONObject()
            for member in members {
                if let value = try renderJSON(member.value, arguments: arguments, secrets: &secrets) { object[member.key] = value }
            }
            return .object(object)
        }
    }

    // MARK: body and auth

    private func encodeBody(_ value: JSONValue) throws(CapabilityCallError) -> [UInt8] {
        switch provider.bodyEncoding {
        case .json:
            return JSONWriter.encode(value)
        case .form:
            let pairs = (value.objectValue?.members ?? []).compactMap { member -> (name: String, value: String)? in
                ArgumentText.render(member.value).map { (member.key, $0) }
            }
            return Array(URLEncoding.queryString(pairs).utf8)
        }
    }

    private func graphQLBody(arguments: JSONObject, secrets: inout [String]) throws(CapabilityCallError) -> [UInt8] {
        let variables: JSONValue
        if let template = provider.graphQLVariables {
            variables = try renderJSON(template, arguments: arguments, secrets: &secrets) ?? .object(JSONObject())
        } else {
            variables = .object(arguments)
        }
        return JSONWriter.encode(["query": .string(provider.graphQLQuery ?? ""), "variables": variables])
    }

    private func addAuth(to headers: inout [(name: String, value: String)], query: inout [(name: String, value: String)],
                         secrets used: inout [String]) throws(CapabilityCallError) {
        let auth = definition.auth
        guard auth.kind != .none, let source = auth.key else { return }
        guard let secret = resolver.value(of: source) else {
            if auth.required { throw .missingSecret(source.description) }
            return
        }
        used.append(secret)
        if HeaderRules.valueProblem(secret) != nil { throw .missingSecret(source.description + " (the value has a line break)") }
        if let param = auth.param {
            query.append((param, secret))
            return
        }
        let credential = auth.kind == .basic && resolver.mode == .live ? Base64.encode(Array(secret.utf8)) : secret
        if auth.kind == .basic { used.append(credential) }
        let prefix = auth.effectivePrefix
        headers.removeAll { $0.name.lowercased() == auth.effectiveHeader.lowercased() }
        headers.append((auth.effectiveHeader, prefix.isEmpty ? credential : "\(prefix) \(credential)"))
    }

    private func setDefault(_ name: String, _ value: String, in headers: inout [(name: String, value: String)]) {
        if !headers.contains(where: { $0.name.lowercased() == name.lowercased() }) { headers.append((name, value)) }
    }
}
