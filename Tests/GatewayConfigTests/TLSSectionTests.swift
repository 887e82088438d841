// The `mtls:` section: its keys and defaults, paths relative to the config file, and the PEM
// files loaded at config load: a missing file, a file that is not PEM and a key that is not the
// certificate's are errors at the key that names them. Certificates are made by `openssl` in a
// temporary directory of the test's own.

import Foundation
import NIOSSL
import Testing
@testable import GatewayConfig

@Suite struct TLSSectionTests {
    /// A directory with a CA, a server certificate and key it signed, and an unrelated key.
    final class PEMFiles {
        let directory: String

        init() throws {
            directory = NSTemporaryDirectory() + "tls-section-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
            try openssl(["req", "-x509"] + curve + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA"])
            try openssl(["req"] + curve + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
            try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "server.pem", "-days", "2"])
            try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.key"])
            try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: directory + "/junk.pem"))
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        var configFile: String { directory + "/gateway.yaml" }

        func path(_ name: String) -> String { directory + "/" + name }

        private func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
        }
    }

    private func load(_ yaml: String, in files: PEMFiles) -> ConfigParseResult {
        ConfigLoader.parse(yaml: yaml, file: files.configFile, environment: [:])
    }

    @Test func filesLoadRelativeToTheConfigFile() throws {
        let files = try PEMFiles()
        let yaml = """
            mtls:
              enabled: true
              server_cert: server.pem
              server_key: ./server.key
              ca_cert: \(files.path("ca.pem"))
              client_principal: san_email
              admin_principals: [ops@example.com]
              reload_interval: 500ms
            """
        let result = load(yaml, in: files)
        #expect(result.diagnostics.isEmpty, "\(result.errorMessages)")
        let tls = try #require(result.config?.tls)
        #expect(tls.serverCertificatePath == files.path("server.pem"))
        #expect(tls.serverKeyPath == files.path("./server.key"))
        #expect(tls.clientCAPath == files.path("ca.pem"))
        #expect(tls.requireClientCertificate, "a client CA means client certificates are required by default")
        #expect(tls.clientPrincipal == .sanEmail)
        #expect(tls.adminPrincipals == ["ops@example.com"])
        #expect(tls.reloadInterval == .milliseconds(500))
    }

    @Test func defaultsAndSwitches() throws {
        let files = try PEMFiles()
        let serverOnly = try #require(load("mtls: {server_cert: server.pem, server_key: server.key}\n", in: files).config?.tls)
        #expect(serverOnly.clientCAPath == nil && !serverOnly.requireClientCertificate)
        #expect(serverOnly.clientPrincipal == .subjectCommonName && serverOnly.adminPrincipals.isEmpty)
        #expect(serverOnly.reloadInterval == .seconds(2))
        let optional = try #require(load("""
            mtls: {server_cert: server.pem, server_key: server.key, ca_cert: ca.pem, require_client_cert: false}
            """, in: files).config?.tls)
        #expect(optional.clientCAPath != nil && !optional.requireClientCertificate)
        // Switched off: nothing is read, not even files that do not exist.
        let off = load("mtls: {enabled: false, server_cert: missing.pem, crl_path: x}\n", in: files)
        #expect(off.diagnostics.isEmpty)
        #expect(try #require(off.config).tls == nil)
        #expect(try #require(load("server: {port: 1}\n", in: files).config).tls == nil)
    }

    @Test func mistakesAreErrorsAtTheirKeys() throws {
        let files = try PEMFiles()
        let base = "  server_cert: server.pem\n  server_key: server.key\n"
        let cases: [(yaml: String, path: String, line: Int, text: String)] = [
            ("mtls:\n  server_cert: server.pem\n", "mtls.server_key", 2, "needs 'server_key'"),
            ("mtls:\n  server_cert: nothere.pem\n  server_key: server.key\n", "mtls.server_cert", 2,
             "file '\(files.path("nothere.pem"))' does not exist"),
            ("mtls:\n  server_cert: junk.pem\n  server_key: server.key\n", "mtls.server_cert", 2, "holds no PEM certificate"),
            ("mtls:\n  server_cert: server.pem\n  server_key: junk.pem\n", "mtls.server_key", 3, "not an unencrypted PEM private key"),
            ("mtls:\n  server_cert: server.pem\n  server_key: other.key\n", "mtls.server_key", 3, "does not match the certificate"),
            ("mtls:\n\(base)  ca_cert: junk.pem\n", "mtls.ca_cert", 4, "holds no PEM certificate"),
            ("mtls:\n\(base)  ca_cert: \"\"\n", "mtls.ca_cert", 4, "found nothing"),
            ("mtls:\n  server_cert: .\n  server_key: server.key\n", "mtls.server_cert", 2, "is a directory"),
            ("mtls:\n\(base)  require_client_cert: true\n", "mtls.require_client_cert", 4, "no 'ca_cert' is set"),
            ("mtls:\n\(base)  client_principal: san_dns\n", "mtls.client_principal", 4, "only read when 'ca_cert' is set"),
            ("mtls:\n\(base)  admin_principals: [a]\n", "mtls.admin_principals", 4, "only read when 'ca_cert' is set"),
            ("mtls:\n\(base)  ca_cert: ca.pem\n  client_principal: san_mail\n", "mtls.client_principal", 5,
             "expected one of subject_cn, san_dns, san_email, san_uri for 'mtls.client_principal', found 'san_mail'; did you mean 'san_email'?"),
            ("mtls:\n\(base)  crl_path: revoked.crl\n", "mtls.crl_path", 4, "is a security setting this gateway does not implement"),
            ("mtls:\n\(base)  ca_certs: ca.pem\n", "mtls.ca_certs", 4, "did you mean 'ca_cert'?"),
            ("mtls:\n\(base)  require_client_cert: maybe\n", "mtls.require_client_cert", 4, "true or false"),
            ("mtls:\n\(base)  reload_interval: 10ms\n", "mtls.reload_interval", 4, "from 100ms to 24h"),
        ]
        for item in cases {
            let result = load(item.yaml, in: files)
            #expect(result.config == nil, "\(item.yaml)")
            let error = result.error(at: item.path)
            #expect(error?.message.contains(item.text) == true, "\(item.yaml): \(result.errorMessages)")
            #expect(error?.line == item.line, "\(item.yaml): \(result.errors.map(\.line))")
            #expect(error?.file == files.configFile)
        }
    }

    /// What the server context is built from: TLS 1.2 at least, and client certificates checked
    /// against the CA (not against a host name) when there is one, required or optional.
    @Test func serverConfigurationFollowsTheSettings() throws {
        let files = try PEMFiles()
        var settings = TLSSettings(serverCertificatePath: files.path("server.pem"), serverKeyPath: files.path("server.key"))
        let plain = try TLSMaterial.serverConfiguration(settings)
        #expect(plain.minimumTLSVersion == .tlsv12)
        #expect(plain.certificateVerification == .none)
        #expect(plain.certificateChain.count == 1)
        settings.clientCAPath = files.path("ca.pem")
        settings.requireClientCertificate = true
        let required = try TLSMaterial.serverConfiguration(settings)
        #expect(required.certificateVerification == .noHostnameVerification)
        #expect(required.sendCANameList)
        settings.requireClientCertificate = false
        #expect(try TLSMaterial.serverConfiguration(settings).certificateVerification == .optionalVerification)
        _ = try TLSMaterial.serverContext(settings)
    }

    /// Required client certificates count as authentication for a non-loopback host.
    @Test func requiredClientCertificatesAuthenticateANetworkBind() throws {
        let files = try PEMFiles()
        let tls = "  server_cert: server.pem\n  server_key: server.key\n  ca_cert: ca.pem\n"
        #expect(load("server: {host: 0.0.0.0}\nmtls:\n\(tls)", in: files).config?.tls != nil)
        let optional = load("server: {host: 0.0.0.0}\nmtls:\n\(tls)  require_client_cert: false\n", in: files)
        #expect(optional.error(at: "server.host") != nil)
    }
}
