// The TLS pieces of the front end below HTTP, in memory: a real handshake between a client and a
// server channel built as TLSChildChannel builds them, with the context from TLSContextStore.
// The verified client certificate names the connection's principal, read through both of
// ConnectionPeer's entry points (off and on the event loop); a reload swaps the store's context
// only when the files changed and loaded. Certificates are made with X509 in a temp directory.

import Crypto
import Foundation
import GatewayAuth
import GatewayConfig
import Logging
import NIOCore
import NIOEmbedded
import NIOSSL
import Testing
import X509
@testable import GatewayServer

@Suite(.serialized) struct TLSConnectionPeerTests {
    /// A CA, a server certificate and a client certificate it signed, as PEM files.
    final class Files {
        let directory = NSTemporaryDirectory() + "tls-peer-\(UUID().uuidString)"
        let caKey = P256.Signing.PrivateKey()
        let caName: DistinguishedName
        let ca: Certificate
        let clientKey = P256.Signing.PrivateKey()
        let client: Certificate

        init() throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            caName = try DistinguishedName { CommonName("Peer Test CA") }
            let caPrivate = Certificate.PrivateKey(caKey)
            ca = try Self.issue(subject: caName, key: caPrivate.publicKey, issuer: caName, issuerKey: caPrivate,
                                extensions: try Certificate.Extensions {
                                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                                    KeyUsage(keyCertSign: true)
                                })
            client = try Self.issue(subject: try DistinguishedName { CommonName("alice") },
                                    key: Certificate.PrivateKey(clientKey).publicKey, issuer: caName, issuerKey: caPrivate,
                                    extensions: try Certificate.Extensions {
                                        SubjectAlternativeNames([.rfc822Name("alice@example.com")])
                                        try ExtendedKeyUsage([.clientAuth])
                                    })
            try write(ca, to: "ca.pem")
            try writeServer(commonName: "server-one")
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func path(_ name: String) -> String { directory + "/" + name }

        /// A new server key and certificate (signed by the CA) in server.pem / server.key.
        @discardableResult
        func writeServer(commonName: String) throws -> Certificate {
            let key = P256.Signing.PrivateKey()
            let certificate = try Self.issue(subject: try DistinguishedName { CommonName(commonName) },
                                             key: Certificate.PrivateKey(key).publicKey, issuer: caName,
                                             issuerKey: Certificate.PrivateKey(caKey), extensions: Certificate.Extensions())
            try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: path("server.key")))
            try write(certificate, to: "server.pem")
            return certificate
        }

        func write(_ certificate: Certificate, to name: String) throws {
            try Data(certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: path(name)))
        }

        func settings(clientPrincipal: ClientCertificateName = .subjectCommonName, admins: [String] = []) -> TLSSettings {
            TLSSettings(serverCertificatePath: path("server.pem"), serverKeyPath: path("server.key"), clientCAPath: path("ca.pem"),
                        requireClientCertificate: true, clientPrincipal: clientPrincipal, adminPrincipals: admins)
        }

        func clientContext(withCertificate: Bool) throws -> NIOSSLContext {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            if withCertificate {
                configuration.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(client.serializeAsPEM().pemString.utf8), format: .pem))]
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(clientKey.pemRepresentation.utf8), format: .pem))
            }
            return try NIOSSLContext(configuration: configuration)
        }

        static func issue(subject: DistinguishedName, key: Certificate.PublicKey, issuer: DistinguishedName,
                          issuerKey: Certificate.PrivateKey, extensions: Certificate.Extensions) throws -> Certificate {
            let now = Date()
            return try Certificate(version: .v3, serialNumber: .init(), publicKey: key, notValidBefore: now - 60,
                                   notValidAfter: now + 3600, issuer: issuer, subject: subject,
                                   signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: issuerKey)
        }
    }

    /// A server channel with TLS and the identity handler, as TLSChildChannel sets them up.
    private func serverChannel(_ store: TLSContextStore, namer: ClientCertificateNamer) async throws -> NIOAsyncTestingChannel {
        let logger = Logger(label: "test")
        return try await NIOAsyncTestingChannel { channel in
            let pipeline = channel.pipeline.syncOperations
            let tls = NIOSSLServerHandler(context: store.current)
            try pipeline.addHandler(tls)
            try pipeline.addHandler(ClientCertificateIdentity(tls: tls, namer: namer, logger: logger))
        }
    }

    /// Runs the handshake by moving bytes between the two channels until neither has any to send.
    private func handshake(client: NIOAsyncTestingChannel, server: NIOAsyncTestingChannel) async throws {
        for _ in 0..<50 {
            var moved = false
            while let bytes = try await client.readOutbound(as: ByteBuffer.self) {
                try await server.writeInbound(bytes)
                moved = true
            }
            while let bytes = try await server.readOutbound(as: ByteBuffer.self) {
                try await client.writeInbound(bytes)
                moved = true
            }
            if !moved { return }
        }
    }

    private func channels(_ files: Files, store: TLSContextStore, namer: ClientCertificateNamer,
                          withCertificate: Bool) async throws -> (client: NIOAsyncTestingChannel, server: NIOAsyncTestingChannel) {
        let server = try await serverChannel(store, namer: namer)
        let clientContext = try files.clientContext(withCertificate: withCertificate)
        let client = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: clientContext, serverHostname: nil))
        }
        try await server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        try await client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).get()
        return (client, server)
    }

    private func connect(_ files: Files, store: TLSContextStore, namer: ClientCertificateNamer,
                         withCertificate: Bool) async throws -> NIOAsyncTestingChannel {
        let (client, server) = try await channels(files, store: store, namer: namer, withCertificate: withCertificate)
        try await handshake(client: client, server: server)
        return server
    }

    @Test func theVerifiedCertificateNamesTheConnectionsPrincipal() async throws {
        let files = try Files()
        let store = try TLSContextStore(settings: files.settings())
        ConnectionPeer.tlsFrontEndStarted()
        let server = try await connect(files, store: store, namer: ClientCertificateNamer(files.settings(admins: ["alice"])),
                                       withCertificate: true)
        let expected = Principal(name: "alice", method: .clientCertificate, isAdmin: true)
        #expect(await ConnectionPeer.principal(of: server) == expected)
        let onLoop = try await server.eventLoop.submit {
            let context = try server.pipeline.syncOperations.context(handlerType: ClientCertificateIdentity.self)
            return ConnectionPeer.principal(in: context)
        }.get()
        #expect(onLoop == expected)

        let byEmail = try await connect(files, store: store, namer: ClientCertificateNamer(files.settings(clientPrincipal: .sanEmail)),
                                        withCertificate: true)
        #expect(await ConnectionPeer.principal(of: byEmail)?.name == "alice@example.com")
        let byDNS = try await connect(files, store: store, namer: ClientCertificateNamer(files.settings(clientPrincipal: .sanDNS)),
                                      withCertificate: true)
        #expect(await ConnectionPeer.principal(of: byDNS) == nil, "a certificate without the chosen field names nobody")
    }

    @Test func noCertificateNoHandshakeNoPrincipal() async throws {
        let files = try Files()
        let store = try TLSContextStore(settings: files.settings())
        ConnectionPeer.tlsFrontEndStarted()
        let (client, server) = try await channels(files, store: store, namer: ClientCertificateNamer(files.settings()),
                                                  withCertificate: false)
        // Required: the server fails the handshake and closes the connection.
        await #expect(throws: NIOSSLError.self) { try await handshake(client: client, server: server) }
        #expect(await ConnectionPeer.principal(of: server) == nil)
        #expect(!server.isActive)
    }

    @Test func aReloadSwapsTheContextOnlyWhenTheFilesChangedAndLoad() throws {
        let files = try Files()
        let store = try TLSContextStore(settings: files.settings())
        let logger = Logger(label: "test")
        let first = store.current
        #expect(!store.reloadIfChanged(logger: logger))
        #expect(store.current === first)
        // Half-written: the old context stays.
        try Data("-----BEGIN CERTIFICATE-----\nMIIB".utf8).write(to: URL(fileURLWithPath: files.path("server.pem")))
        #expect(!store.reloadIfChanged(logger: logger))
        #expect(store.current === first)
        try files.writeServer(commonName: "server-two")
        #expect(store.reloadIfChanged(logger: logger))
        #expect(store.current !== first)
        let second = store.current
        #expect(!store.reloadIfChanged(logger: logger))
        #expect(store.current === second)
    }

    /// A renewal that swaps a directory link (as a Kubernetes secret volume does) leaves the
    /// configured paths' own links untouched: the files they lead to are what is watched.
    @Test func aSwappedDirectoryLinkIsAChange() throws {
        let files = try Files()
        let manager = FileManager.default
        for version in ["v1", "v2"] {
            try manager.createDirectory(atPath: files.path(version), withIntermediateDirectories: true)
            try files.writeServer(commonName: "server-\(version)")
            for name in ["server.pem", "server.key"] {
                try manager.moveItem(atPath: files.path(name), toPath: files.path("\(version)/\(name)"))
            }
        }
        try manager.createSymbolicLink(atPath: files.path("data"), withDestinationPath: "v1")
        for name in ["server.pem", "server.key"] {
            try manager.createSymbolicLink(atPath: files.path(name), withDestinationPath: "data/\(name)")
        }
        let store = try TLSContextStore(settings: files.settings())
        let logger = Logger(label: "test")
        let first = store.current
        #expect(!store.reloadIfChanged(logger: logger))
        // Swap the directory link, as the kubelet does (a new link renamed over the old one).
        try manager.createSymbolicLink(atPath: files.path("data.next"), withDestinationPath: "v2")
        #expect(rename(files.path("data.next"), files.path("data")) == 0)
        #expect(store.reloadIfChanged(logger: logger))
        #expect(store.current !== first)
    }
}
