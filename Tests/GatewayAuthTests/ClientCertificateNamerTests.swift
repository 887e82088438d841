// Which name a client certificate gives its principal: the subject's CN or the first SAN of
// the configured kind (DNS, email, URI), admins by name, and no principal when the field is
// missing, empty or holds control characters. Certificates are built in the test with X509.

import Crypto
import Foundation
import GatewayAuth
import GatewayConfig
import Testing
import X509

@Suite struct ClientCertificateNamerTests {
    static func certificate(subject: DistinguishedName, sans: [GeneralName] = []) throws -> Certificate {
        let key = P256.Signing.PrivateKey()
        let privateKey = Certificate.PrivateKey(key)
        let now = Date()
        let extensions = sans.isEmpty ? Certificate.Extensions() : try Certificate.Extensions {
            SubjectAlternativeNames(sans)
        }
        return try Certificate(
            version: .v3, serialNumber: .init(), publicKey: privateKey.publicKey,
            notValidBefore: now - 60, notValidAfter: now + 3600,
            issuer: try DistinguishedName { CommonName("Test CA") }, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: privateKey)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        try certificate.serializeAsPEM().derBytes
    }

    @Test func eachFieldNamesThePrincipal() throws {
        let certificate = try Self.certificate(
            subject: try DistinguishedName { OrganizationName("Example"); CommonName("alice") },
            sans: [.dnsName("alice.example"), .dnsName("second.example"), .rfc822Name("alice@example.com"),
                   .uniformResourceIdentifier("spiffe://example/alice")])
        #expect(ClientCertificateNamer.name(of: certificate, field: .subjectCommonName) == "alice")
        #expect(ClientCertificateNamer.name(of: certificate, field: .sanDNS) == "alice.example")
        #expect(ClientCertificateNamer.name(of: certificate, field: .sanEmail) == "alice@example.com")
        #expect(ClientCertificateNamer.name(of: certificate, field: .sanURI) == "spiffe://example/alice")
    }

    @Test func principalFromDERWithAdmins() throws {
        let der = try Self.der(try Self.certificate(subject: try DistinguishedName { CommonName("ops") },
                                                    sans: [.rfc822Name("bob@example.com")]))
        let byCN = ClientCertificateNamer(field: .subjectCommonName, adminPrincipals: ["ops"])
        #expect(byCN.principal(certificateDER: der) == Principal(name: "ops", method: .clientCertificate, isAdmin: true))
        let byEmail = ClientCertificateNamer(field: .sanEmail, adminPrincipals: ["ops"])
        let bob = try #require(byEmail.principal(certificateDER: der))
        #expect(bob.name == "bob@example.com" && bob.method == .clientCertificate && !bob.isAdmin)
        #expect(bob.owner == "client_certificate:bob@example.com")
        // Settings carry the field and the admins.
        let settings = TLSSettings(serverCertificatePath: "s", serverKeyPath: "k", clientCAPath: "ca",
                                   clientPrincipal: .sanEmail, adminPrincipals: ["bob@example.com"])
        #expect(ClientCertificateNamer(settings).principal(certificateDER: der)?.isAdmin == true)
    }

    @Test func noUsableNameMeansNoPrincipal() throws {
        let cnOnly = try Self.certificate(subject: try DistinguishedName { CommonName("carol") })
        for field in [ClientCertificateName.sanDNS, .sanEmail, .sanURI] {
            #expect(ClientCertificateNamer.name(of: cnOnly, field: field) == nil)
        }
        let sanOnly = try Self.certificate(subject: try DistinguishedName { OrganizationName("Example") },
                                           sans: [.dnsName("host.example")])
        #expect(ClientCertificateNamer.name(of: sanOnly, field: .subjectCommonName) == nil)
        #expect(ClientCertificateNamer.name(of: sanOnly, field: .sanEmail) == nil)
        let empty = try Self.certificate(subject: try DistinguishedName { CommonName("") })
        #expect(ClientCertificateNamer.name(of: empty, field: .subjectCommonName) == nil)
        let control = try Self.certificate(subject: try DistinguishedName { CommonName("eve\nadmin") })
        #expect(ClientCertificateNamer.name(of: control, field: .subjectCommonName) == nil)
        let namer = ClientCertificateNamer(field: .subjectCommonName, adminPrincipals: [])
        #expect(namer.principal(certificateDER: Array("not DER".utf8)) == nil)
        #expect(namer.principal(certificateDER: try Self.der(sanOnly)) == nil)
    }

    /// The most specific (last) CN counts, as in TLS libraries.
    @Test func lastCommonNameWins() throws {
        let certificate = try Self.certificate(subject: try DistinguishedName { CommonName("outer"); CommonName("inner") })
        #expect(ClientCertificateNamer.name(of: certificate, field: .subjectCommonName) == "inner")
    }
}
