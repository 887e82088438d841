// What the gateway needs at start to act as an OAuth 2.1 resource server: the token verifier
// for the Authenticator, and the RFC 9728 metadata (URL for the `WWW-Authenticate` challenge,
// document and the paths to serve it at). The client's token is only ever checked here; it is
// never forwarded to a backend.

import GatewayConfig
import Logging

public struct OAuthResourceServer: Sendable {
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let verifier: JWTTokenVerifier
    public let metadata: ProtectedResourceMetadata
    /// Passed to `Authenticator(resourceMetadataURL:)`.
    public var metadataURL: String { metadata.url }
    /// The JSON served at each of `metadataPaths`, made once.
    public let metadataDocument: [UInt8]
    public var metadataPaths: [String] { metadata.paths }

    public init(settings: OAuthSettings, logger: Logger) throws(SetupError) {
        guard let metadata = ProtectedResourceMetadata(settings: settings) else {
            throw SetupError(description: "auth.oauth.audience '\(settings.audience)' is not an absolute http(s) URL")
        }
        self.metadata = metadata
        metadataDocument = metadata.document
        verifier = JWTTokenVerifier(settings: settings, logger: logger)
    }
}
