// One way to perform a capability: a REST request or a GraphQL query against one base URL.
// A capability has a primary provider and optional fallbacks tried when the primary is down.

import MCPProtocol

/// The protocol a provider speaks.
public enum ServiceKind: String, Sendable, Equatable, CaseIterable {
    case rest
    case graphql
}

/// How a JSON body template is sent.
public enum BodyEncoding: String, Sendable, Equatable, CaseIterable {
    /// `application/json` (argument types are kept).
    case json
    /// `application/x-www-form-urlencoded` (values are rendered as text and form-encoded).
    case form
}

/// The request side of one provider, with its templates parsed.
public struct ProviderDefinition: Sendable, Equatable {
    public var service: ServiceKind
    /// Scheme and host (and optionally a path prefix), e.g. `https://api.github.com`.
    public var baseURL: Template
    public var path: Template
    /// Upper-case HTTP method; always POST for GraphQL.
    public var method: String
    /// Header templates in file order.
    public var headers: [(name: String, value: Template)]
    /// Query parameter templates in file order.
    public var params: [(name: String, value: Template)]
    /// REST: JSON body template; GraphQL: nil (the query is `graphQLQuery`).
    public var body: JSONTemplate?
    public var bodyEncoding: BodyEncoding
    /// GraphQL: the query document, sent as is (never templated).
    public var graphQLQuery: String?
    /// GraphQL: variables template; nil sends every argument as a variable.
    public var graphQLVariables: JSONTemplate?
    /// Dot path (with `[n]` indices) of the part of the response to return.
    public var responsePath: ResponsePath?
    public var timeout: Duration

    public static let defaultTimeout: Duration = .seconds(30)

    public init(service: ServiceKind = .rest, baseURL: Template, path: Template = Template(literal: ""),
                method: String = "GET", headers: [(name: String, value: Template)] = [],
                params: [(name: String, value: Template)] = [], body: JSONTemplate? = nil,
                bodyEncoding: BodyEncoding = .json, graphQLQuery: String? = nil, graphQLVariables: JSONTemplate? = nil,
                responsePath: ResponsePath? = nil, timeout: Duration = ProviderDefinition.defaultTimeout) {
        self.service = service
        self.baseURL = baseURL
        self.path = path
        self.method = method
        self.headers = headers
        self.params = params
        self.body = body
        self.bodyEncoding = bodyEncoding
        self.graphQLQuery = graphQLQuery
        self.graphQLVariables = graphQLVariables
        self.responsePath = responsePath
        self.timeout = timeout
    }

    /// GET, HEAD, PUT, DELETE and OPTIONS may be repeated without changing the outcome (RFC 9110 §9.2.2).
    public var isIdempotentByMethod: Bool {
        service == .rest && ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method)
    }

    /// GET and HEAD read; a GraphQL provider reads unless its document is a mutation.
    public var isReadOnlyByMethod: Bool {
        switch service {
        case .rest: return method == "GET" || method == "HEAD"
        case .graphql: return !(graphQLQuery ?? "").trimmingBlanks().hasPrefix("mutation")
        }
    }

    /// Every argument name the templates of this provider use.
    public var placeholderNames: Set<String> {
        var names = baseURL.argumentNames.union(path.argumentNames)
        for header in headers { names.formUnion(header.value.argumentNames) }
        for param in params { names.formUnion(param.value.argumentNames) }
        if let body { names.formUnion(body.argumentNames) }
        if let graphQLVariables { names.formUnion(graphQLVariables.argumentNames) }
        return names
    }

    public static func == (lhs: ProviderDefinition, rhs: ProviderDefinition) -> Bool {
        lhs.service == rhs.service && lhs.baseURL == rhs.baseURL && lhs.path == rhs.path && lhs.method == rhs.method
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.params.map(\.name) == rhs.params.map(\.name) && lhs.params.map(\.value) == rhs.params.map(\.value)
            && lhs.body == rhs.body && lhs.bodyEncoding == rhs.bodyEncoding && lhs.graphQLQuery == rhs.graphQLQuery
            && lhs.graphQLVariables == rhs.graphQLVariables && lhs.responsePath == rhs.responsePath
            && lhs.timeout == rhs.timeout
    }
}
