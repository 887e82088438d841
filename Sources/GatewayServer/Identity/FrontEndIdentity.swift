// What the front ends need to know about identities, made once at start from the config: the
// Authenticator every request passes, whether connections carry client certificates, the
// RFC 9728 metadata document when OAuth is on, the stdio front end's principal, and the
// dashboard's login sessions (granted by the Authenticator, so ended when a reload changes it).

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

    /// The Authenticator in force; a reload swaps it (`reload`).
    public var authenticator: Authenticator { box.current }
    /// Shared by every copy of the gate: the one place a reload puts the new Authenticator.
    let box: AuthenticatorBox
    public let peersHaveCertificates: Bool
    /// Client certificates are required (`mtls.require_client_certificate`).
    let certificatesRequired: Bool
    /// Whether callers are told apart (a credential or a client certificate is required): then
    /// only admins see what is for admins (the full /health).
    public var callersIdentified: Bool { authenticator.isRequired || certificatesRequired }
    /// `auth.oauth` at start: its verifier (keys, caches) and metadata routes are kept.
    let oauth: OAuthResourceServer?
    let oauthSettings: OAuthSettings?
    public let resourceMetadata: ResourceMetadata?
    /// Whoever started the process (`auth.stdio_principal`), an admin.
    public let stdioPrincipal: Principal
    /// The `auto` bearer token made at start: a reload that keeps `auto` keeps this one.
    let generatedToken: String?
    /// The dashboard's login sessions (/ui/login), read by the gate on /ui paths.
    let dashboardSessions = DashboardSessions()

    public init(authenticator: Authenticator, peersHaveCertificates: Bool = false, certificatesRequired: Bool = false,
                resourceMetadata: ResourceMetadata? = nil,
                stdioPrincipal: Principal = Principal(name: "local", method: .stdio, isAdmin: true),
                generatedToken: String? = nil, oauth: OAuthResourceServer? = nil, oauthSettings: OAuthSettings? = nil) {
        self.generatedToken = generatedToken
        self.oauth = oauth
        self.oauthSettings = oauthSettings
        box = AuthenticatorBox(authenticator)
        self.peersHaveCertificates = peersHaveCertificates
        self.certificatesRequired = certificatesRequired
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
            certificatesRequired: config.tls?.requireClientCertificate == true,
            resourceMetadata: oauth.map { ResourceMetadata(paths: $0.metadataPaths, document: $0.metadataDocument) },
            stdioPrincipal: Principal(name: auth.stdioPrincipal, method: .stdio, isAdmin: true),
            generatedToken: generated, oauth: oauth, oauthSettings: auth.oauth)
    }

    /// Puts a reloaded config's `auth` in force for the next request on every entry path:
    /// whether a credential is required, the API keys, the bearer token, the public paths. `auto`
    /// keeps the token made at start (a token that was not `auto` at start and is now gets none
    /// until a restart: it could not be shown to anyone). `auth.oauth` is read at start (its
    /// metadata routes, its key fetching): while the file names the same issuer, the start's
    /// verifier stays; removed or changed, JWTs are refused until a restart (fails closed).
    /// Either change ends every dashboard session: the rights a session was granted with may be
    /// gone (a reload that changes nothing here, the dashboard's own reload button say, keeps them).
    public func reload(from config: GatewayConfig) {
        let bearer: String?
        switch config.auth.bearerToken {
        case .value(let token): bearer = token
        case .generated: bearer = generatedToken
        case nil: bearer = nil
        }
        let verifier = config.auth.oauth != nil && config.auth.oauth == oauthSettings ? oauth?.verifier : nil
        let current = authenticator
        if current.isRequired == config.auth.isRequired, current.publicPaths == Set(config.auth.publicPaths),
           current.verifiesTokens == (verifier != nil) {
            // Only keys changed, if anything: replaced in place.
            if current.replaceKeys(apiKeys: config.auth.apiKeys, bearerToken: bearer) { dashboardSessions.dropAll() }
            return
        }
        box.replace(Authenticator(settings: config.auth, bearerToken: bearer, tokenVerifier: verifier,
                                  resourceMetadataURL: verifier == nil ? nil : oauth?.metadataURL,
                                  clientCertificatesRequired: certificatesRequired))
        dashboardSessions.dropAll()
    }
}

/// `mcp_` and 32 random bytes in base64url, as the reference makes its `auto` token.
enum GeneratedToken {
    static func make() -> String {
        "mcp_" + randomBase64URL()
    }

    /// 32 bytes from the system's secure generator, in base64url without padding (43 characters).
    static func randomBase64URL() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
