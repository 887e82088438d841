// The `mtls:` section (the reference's key names): TLS on the HTTP front end, and client
// certificates that identify callers.

/// TLS for the front end; nil in GatewayConfig when the section is absent or `enabled: false`.
public struct TLSSettings: Sendable, Equatable {
    /// PEM certificate chain the gateway presents (`server_cert`).
    public var serverCertificatePath: String
    /// PEM private key (`server_key`).
    public var serverKeyPath: String
    /// PEM CA bundle that signs client certificates (`ca_cert`); nil: clients present none.
    public var clientCAPath: String?
    /// Refuse connections without a valid client certificate (`require_client_cert`).
    public var requireClientCertificate: Bool
    /// Which part of a client certificate names its principal (`client_principal`).
    public var clientPrincipal: ClientCertificateName
    /// Principals (as named by `clientPrincipal`) that are admins (`admin_principals`).
    public var adminPrincipals: [String]
    /// How often the files are checked for changes and reloaded (`reload_interval`).
    public var reloadInterval: Duration

    public init(serverCertificatePath: String, serverKeyPath: String, clientCAPath: String? = nil,
                requireClientCertificate: Bool = false, clientPrincipal: ClientCertificateName = .subjectCommonName,
                adminPrincipals: [String] = [], reloadInterval: Duration = .seconds(2)) {
        self.serverCertificatePath = serverCertificatePath
        self.serverKeyPath = serverKeyPath
        self.clientCAPath = clientCAPath
        self.requireClientCertificate = requireClientCertificate
        self.clientPrincipal = clientPrincipal
        self.adminPrincipals = adminPrincipals
        self.reloadInterval = reloadInterval
    }
}

/// The certificate field that names a client.
public enum ClientCertificateName: String, Sendable, Equatable, CaseIterable {
    case subjectCommonName = "subject_cn"
    case sanDNS = "san_dns"
    case sanEmail = "san_email"
    case sanURI = "san_uri"
}
