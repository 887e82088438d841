// Reads the PEM files an `mtls:` section names into the front end's TLS server context. The
// config decoder calls it to check the files at load (so a bad file is an error with its
// file:line there, not at the first handshake), and the front end calls it to build its
// context and to rebuild it when the files change: one reader, so what loads is what serves.

import Foundation
import NIOSSL

public enum TLSMaterial {
    /// Why the files could not be loaded: the `mtls` key whose file is at fault, and what is wrong.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// `server_cert`, `server_key` or `ca_cert`.
        public let key: String
        public let message: String
        public var description: String { "mtls.\(key): \(message)" }
    }

    /// The server context for new connections: TLS 1.2 or later, the server's chain and key,
    /// and, with a client CA, client certificates verified against it (required or optional).
    public static func serverContext(_ settings: TLSSettings) throws(Failure) -> NIOSSLContext {
        let configuration = try serverConfiguration(settings)
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            // The chain and key parsed one by one: what is left is that they do not belong together.
            throw Failure(key: "server_key", message: "the private key in '\(settings.serverKeyPath)' does not match the "
                          + "certificate in '\(settings.serverCertificatePath)', or cannot be used with it (\(error))")
        }
    }

    /// The TLS configuration `serverContext` builds its context from.
    public static func serverConfiguration(_ settings: TLSSettings) throws(Failure) -> TLSConfiguration {
        let chain = try certificates(at: settings.serverCertificatePath, key: "server_cert")
        let key = try privateKey(at: settings.serverKeyPath)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let caPath = settings.clientCAPath {
            let roots = try certificates(at: caPath, key: "ca_cert")
            configuration.trustRoots = .certificates(roots)
            // The chain is checked against the CA; host names mean nothing for a client.
            configuration.certificateVerification = settings.requireClientCertificate ? .noHostnameVerification : .optionalVerification
            // Clients choose which certificate to present from the CA names the server sends.
            configuration.sendCANameList = true
        } else {
            configuration.certificateVerification = .none
        }
        return configuration
    }

    /// Every certificate of a PEM file (a chain or a CA bundle), in order.
    static func certificates(at path: String, key: String) throws(Failure) -> [NIOSSLCertificate] {
        let bytes = try contents(of: path, key: key)
        // Text that is not PEM throws; an empty file gives no certificate: the same mistake.
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
            throw Failure(key: key, message: "'\(path)' holds no PEM certificate ('-----BEGIN CERTIFICATE-----')")
        }
        return certificates
    }

    static func privateKey(at path: String) throws(Failure) -> NIOSSLPrivateKey {
        let bytes = try contents(of: path, key: "server_key")
        do {
            return try NIOSSLPrivateKey(bytes: bytes, format: .pem)
        } catch {
            throw Failure(key: "server_key", message: "'\(path)' is not an unencrypted PEM private key (\(error))")
        }
    }

    /// A file's bytes; a missing or unreadable file is a Failure naming it. Certificate files are
    /// small: anything past 1 MiB is not one and is refused rather than read.
    static func contents(of path: String, key: String) throws(Failure) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(key: key, message: "file '\(path)' does not exist")
        }
        guard !isDirectory.boolValue else { throw Failure(key: key, message: "'\(path)' is a directory, not a PEM file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(key: key, message: "file '\(path)' cannot be read (check its permissions)")
        }
        guard data.count <= maxFileSize else {
            throw Failure(key: key, message: "'\(path)' is larger than 1 MiB: not a PEM certificate or key file")
        }
        return Array(data)
    }

    static let maxFileSize = 1 << 20
}
