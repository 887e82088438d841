// What the front ends need to know about identities, made once at start from the config: the
// Authenticator every request passes, whether connections carry client certificates, the
// RFC 9728 metadata document when OAuth is on, and the stdio front end's principal.

import Foundation
import GatewayAuth
import GatewayConfig
import Logging

public struct FrontEndIdentity: Sendable {
    /// An RFC 9728 protected-resource metadata document and the paths it is served at.
    public struct ResourceMetadata: Sendable {
        public let paths: [String]
        public let document: [UInt8]

        public init(paths: [String], document: [UInt8]) {
            self.paths = paths
            self.document = document
        }
    }

    public let authenticator: Authenticator
    public let peersHaveCertificates: Bool
    /// Whether callers are told apart (a credential or a client certificate is required): then
    /// only admins see what is for admins (the full /health).
    public let callersIdentified: Bool
    public let resourceMetadata: ResourceMetadata?
    /// Whoever started the process (`auth.stdio_principal`), an admin.
    public let stdioPrincipal: Principal
    /// The `auto` bearer token made at start: a reload that keeps `auto` keeps this one.
    let generatedToken: String?

    public init(authenticator: Authenticator, peersHaveCertificates: Bool = false, callersIdentified: Bool? = nil,
                resourceMetadata: ResourceMetadata? = nil,
                stdioPrincipal: Principal = Principal(name: "local", method: .stdio, isAdmin: true),
                generatedToken: String? = nil) {
        self.generatedToken = generatedToken
        self.authenticator = authenticator
        self.peersHaveCertificates = peersHaveCertificates
        self.callersIdentified = callersIdentified ?? authenticator.isRequired
        self.resourceMetadata = resourceMetadata
        self.stdioPrincipal = stdioPrincipal
    }

    /// Authentication off, no certificates: everyone is the unauthenticated principal.
    public static let open = FrontEndIdentity(authenticator: .open)

    /// The identities `config` asks for. An `auto` bearer token is made here and printed once
    /// on stderr (never logged): it exists only in this process. With `auth.oauth`, the
    /// issuer's keys are fetched in the background from the start (a failure is retried by
    /// the first request that needs them).
    public static func make(config: GatewayConfig, logger: Logger,
                            printToken: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
        throws(OAuthResourceServer.SetupError) -> FrontEndIdentity {
        let auth = config.auth
        var bearer: String?
        var generated: String?
        switch auth.bearerToken {
        case .value(let token): bearer = token
        case .generated:
            let token = GeneratedToken.make()
            bearer = token
            generated = token
            if auth.isRequired {
                printToken("mcp-gateway: generated bearer token (auth.bearer_token: auto), shown once: \(token)")
            }
        case nil: bearer = nil
        }
        let oauth = try auth.oauth.map { settings throws(OAuthResourceServer.SetupError) in
            try OAuthResourceServer(settings: settings, logger: logger)
        }
        if let verifier = oauth?.verifier { Task { await verifier.prefetchKeys() } }
        let authenticator = Authenticator(settings: auth, bearerToken: bearer, tokenVerifier: oauth?.verifier,
                                          resourceMetadataURL: oauth?.metadataURL,
                                          clientCertificatesRequired: config.tls?.requireClientCertificate == true)
        if auth.isRequired {
            logger.notice("authentication required", metadata: [
                "api_keys": "\(auth.apiKeys.count)", "bearer_token": "\(bearer != nil)", "oauth": "\(auth.oauth != nil)",
            ])
        }
        return FrontEndIdentity(
            authenticator: authenticator,
            peersHaveCertificates: config.tls?.clientCAPath != nil,
            callersIdentified: auth.isRequired || config.tls?.requireClientCertificate == true,
            resourceMetadata: oauth.map { ResourceMetadata(paths: $0.metadataPaths, document: $0.metadataDocument) },
            stdioPrincipal: Principal(name: auth.stdioPrincipal, method: .stdio, isAdmin: true),
            generatedToken: generated)
    }

    /// Puts a reloaded config's API keys and bearer token in force (what else identifies callers
    /// is read at start). `auto` keeps the token made at start; a token that was not `auto` at
    /// start and is now gets none until a restart (it could not be shown to anyone).
    public func reloadKeys(from config: GatewayConfig) {
        let bearer: String?
        switch config.auth.bearerToken {
        case .value(let token): bearer = token
        case .generated: bearer = generatedToken
        case nil: bearer = nil
        }
        authenticator.replaceKeys(apiKeys: config.auth.apiKeys, bearerToken: bearer)
    }
}

/// `mcp_` and 32 random bytes in base64url, as the reference makes its `auto` token.
enum GeneratedToken {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "mcp_" + base64
    }
}
