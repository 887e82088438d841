// Names the principal a verified client certificate stands for (mTLS): the certificate field
// `mtls.client_principal` chooses (subject CN, or the first SAN of one kind) becomes the
// principal's name, and names listed in `mtls.admin_principals` are admins. The TLS front end
// calls it once per connection, after the handshake has verified the chain against the CA.

import GatewayConfig
import X509

public struct ClientCertificateNamer: Sendable {
    public let field: ClientCertificateName
    let admins: Set<String>

    public init(field: ClientCertificateName, adminPrincipals: [String]) {
        self.field = field
        self.admins = Set(adminPrincipals)
    }

    public init(_ settings: TLSSettings) {
        self.init(field: settings.clientPrincipal, adminPrincipals: settings.adminPrincipals)
    }

    /// The principal of a certificate given in DER, or nil when it does not parse or has no
    /// usable name under `field` (the connection then has no principal).
    public func principal(certificateDER: [UInt8]) -> Principal? {
        guard let certificate = try? Certificate(derEncoded: certificateDER),
              let name = Self.name(of: certificate, field: field) else { return nil }
        return Principal(name: name, method: .clientCertificate, isAdmin: admins.contains(name))
    }

    /// The name under `field`: the subject's most specific (last) common name, as TLS libraries
    /// read it, or the first subject alternative name of the kind. Nil when there is none, or
    /// when it is empty or holds control characters (names end up in logs and policies).
    public static func name(of certificate: Certificate, field: ClientCertificateName) -> String? {
        let name: String?
        switch field {
        case .subjectCommonName:
            name = lastCommonName(of: certificate.subject)
        case .sanDNS, .sanEmail, .sanURI:
            // A SAN extension that does not decode names nobody.
            guard let names = try? certificate.extensions.subjectAlternativeNames else { return nil }
            name = names.lazy.compactMap { general -> String? in
                switch (field, general) {
                case (.sanDNS, .dnsName(let value)), (.sanEmail, .rfc822Name(let value)),
                     (.sanURI, .uniformResourceIdentifier(let value)):
                    return value
                default:
                    return nil
                }
            }.first
        }
        guard let name, !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return nil
        }
        return name
    }

    private static func lastCommonName(of subject: DistinguishedName) -> String? {
        for rdn in subject.reversed() {
            for attribute in rdn.reversed() where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }
}
