// RFC 9728 Protected Resource Metadata: the document telling an MCP client which authorization
// server issues tokens for this gateway and which scopes it needs, and where that document is.
// Its URL is derived from the resource identifier (the configured audience) by inserting
// `/.well-known/oauth-protected-resource` between the origin and the path (RFC 9728 §3.1).

import Foundation
import GatewayConfig

public struct ProtectedResourceMetadata: Sendable, Equatable {
    public static let wellKnownPrefix = "/.well-known/oauth-protected-resource"

    /// The resource identifier (`audience`).
    public let resource: String
    public let authorizationServers: [String]
    public let scopesSupported: [String]

    /// The metadata URL, e.g. `http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp`.
    public let url: String
    /// The paths the document is served at: the root form and, for a resource with a path, the
    /// path-suffixed form (clients try the latter first).
    public let paths: [String]

    /// Nil when the audience is not an absolute http(s) URL (the config decoder refuses those).
    public init?(settings: OAuthSettings) {
        guard let parts = WebURL(settings.audience), !parts.hasQueryOrFragment else { return nil }
        let path = parts.path == "/" ? "" : parts.path
        resource = settings.audience
        authorizationServers = [settings.issuer]
        scopesSupported = settings.requiredScopes
        url = parts.origin + Self.wellKnownPrefix + path
        paths = path.isEmpty ? [Self.wellKnownPrefix] : [Self.wellKnownPrefix + path, Self.wellKnownPrefix]
    }

    /// The JSON document, as served.
    public var document: [UInt8] {
        let body = Body(resource: resource, authorizationServers: authorizationServers, scopesSupported: scopesSupported,
                        bearerMethodsSupported: ["header"], resourceName: "mcp-gateway")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)).map(Array.init) ?? []
    }

    private struct Body: Encodable {
        let resource: String
        let authorizationServers: [String]
        let scopesSupported: [String]
        let bearerMethodsSupported: [String]
        let resourceName: String

        private enum CodingKeys: String, CodingKey {
            case resource
            case authorizationServers = "authorization_servers"
            case scopesSupported = "scopes_supported"
            case bearerMethodsSupported = "bearer_methods_supported"
            case resourceName = "resource_name"
        }
    }
}
