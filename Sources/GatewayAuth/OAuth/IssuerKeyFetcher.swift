// Where the issuer's keys come from: the configured `jwks_url`, else the `jwks_uri` of the
// issuer's metadata, found by discovery in the MCP authorization spec's order (RFC 8414
// `oauth-authorization-server`, then OpenID Connect `openid-configuration`, path-inserted forms
// first). The metadata must name the configured issuer, and its JWKS URL must be https (http
// only to a loopback host), as the configured URLs are. Every fetch is a GET with a deadline
// and a body limit, and follows no redirect.

import AsyncHTTPClient
import Foundation
import GatewayConfig
import NIOCore

/// Fetches a URL's body: the 200 answer's bytes, or a thrown error. Injected in tests.
typealias DocumentFetch = @Sendable (_ url: String) async throws -> [UInt8]

struct IssuerKeyFetcher: Sendable {
    /// Longest accepted metadata or JWKS document.
    static let maximumDocumentBytes = 1 << 20
    /// Deadline of one fetch, and of its connection.
    static let fetchTimeout: TimeAmount = .seconds(10)
    static let connectTimeout: TimeAmount = .seconds(5)

    struct Failure: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    let issuer: String
    let configuredJWKSURL: String?
    let fetch: DocumentFetch

    /// The URLs discovery tries, in order.
    var discoveryURLs: [String] {
        guard let parts = WebURL(issuer) else { return [] }
        let path = parts.path.hasSuffix("/") ? String(parts.path.dropLast()) : parts.path
        if path.isEmpty {
            return [parts.origin + "/.well-known/oauth-authorization-server", parts.origin + "/.well-known/openid-configuration"]
        }
        return [parts.origin + "/.well-known/oauth-authorization-server" + path,
                parts.origin + "/.well-known/openid-configuration" + path,
                parts.origin + path + "/.well-known/openid-configuration"]
    }

    /// The JWKS URL: configured, or discovered from the issuer's metadata.
    func jwksURL() async throws(Failure) -> String {
        if let configuredJWKSURL { return configuredJWKSURL }
        var problems: [String] = []
        for url in discoveryURLs {
            let body: [UInt8]
            do { body = try await fetch(url) } catch {
                problems.append("\(url): \(error)")
                continue
            }
            guard let metadata = try? JSONDecoder().decode(Metadata.self, from: Data(body)) else {
                problems.append("\(url): not a metadata document")
                continue
            }
            guard metadata.issuer == issuer else {
                throw Failure(description: "the metadata at \(url) names another issuer ('\(metadata.issuer ?? "")')")
            }
            guard let jwks = metadata.jwksURI else { throw Failure(description: "the metadata at \(url) has no jwks_uri") }
            guard let parts = WebURL(jwks), parts.scheme == "https" || BindExposure.isLoopback(parts.host) else {
                throw Failure(description: "the metadata at \(url) names a jwks_uri that is not https")
            }
            return jwks
        }
        throw Failure(description: "no authorization server metadata found (" + problems.joined(separator: "; ") + ")")
    }

    /// The issuer's current key set.
    func keySet(jwksURL: String) async throws(Failure) -> IssuerKeySet {
        let body: [UInt8]
        do { body = try await fetch(jwksURL) } catch {
            throw Failure(description: "\(jwksURL): \(error)")
        }
        guard let keys = await IssuerKeySet.importing(jwks: body) else {
            throw Failure(description: "\(jwksURL) is not a JWKS document")
        }
        guard keys.count > 0 else { throw Failure(description: "\(jwksURL) has no usable signing key") }
        return keys
    }

    private struct Metadata: Decodable {
        let issuer: String?
        let jwksURI: String?

        private enum CodingKeys: String, CodingKey {
            case issuer
            case jwksURI = "jwks_uri"
        }
    }

    /// The real fetch: a GET bounded in time and size, redirects not followed (a redirect could
    /// lead from the configured https URL anywhere). Its own client per fetch, shut down after:
    /// fetches are rare (at most one a minute), and none of the shared client's settings leak in.
    static let http: DocumentFetch = { url in
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: connectTimeout, read: fetchTimeout)))
        let result: Result<[UInt8], any Error>
        do { result = .success(try await get(url, on: client)) } catch { result = .failure(error) }
        try? await client.shutdown()
        return try result.get()
    }

    private static func get(_ url: String, on client: HTTPClient) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await client.execute(request, timeout: fetchTimeout)
        guard response.status == .ok else {
            throw Failure(description: "HTTP \(response.status.code)")
        }
        do {
            let body = try await response.body.collect(upTo: maximumDocumentBytes)
            return Array(buffer: body)
        } catch is NIOTooManyBytesError {
            throw Failure(description: "the document is larger than \(maximumDocumentBytes) bytes")
        }
    }
}
