// Reads the `mtls:` section (the reference's key names plus `client_principal`,
// `admin_principals` and `reload_interval`) into GatewayConfig.tls, and loads its PEM files right away, as the server
// will: a missing file, a file that is not PEM, or a key that does not belong to the certificate
// is an error at the key that names it.

import Yams

extension ConfigDecoder {
    /// nil when TLS is off (`enabled: false`) or the section has errors.
    mutating func tlsSettings(_ node: Node, path: String) -> TLSSettings? {
        // `mtls: {enabled: false, ...}` asks for nothing: its other keys are not read.
        if Self.isSwitchedOff(node) { return nil }
        guard let entries = supportedEntries(of: node, section: ConfigSchema.mtls, path: path) else { return nil }
        let start = diagnostics.count
        var serverCert: (path: String, entry: MappingEntry)?
        var serverKey: (path: String, entry: MappingEntry)?
        var caCert: (path: String, entry: MappingEntry)?
        var require: (value: Bool, entry: MappingEntry)?
        var naming: (value: ClientCertificateName, entry: MappingEntry)?
        var admins: (value: [String], entry: MappingEntry)?
        var reloadInterval = Duration.seconds(2)
        for entry in entries {
            switch entry.key {
            case "enabled":
                _ = bool(entry.value, path: entry.path)  // false was handled above; true is what the section means
            case "server_cert":
                serverCert = file(entry).map { ($0, entry) }
            case "server_key":
                serverKey = file(entry).map { ($0, entry) }
            case "ca_cert":
                caCert = file(entry).map { ($0, entry) }
            case "require_client_cert":
                require = bool(entry.value, path: entry.path).map { ($0, entry) }
            case "client_principal":
                naming = clientCertificateName(entry).map { ($0, entry) }
            case "admin_principals":
                if let names = stringList(entry.value, path: entry.path) {
                    for name in names where name.value.isEmpty {
                        error("expected a principal name for '\(name.path)', found nothing", at: name.mark, path: name.path)
                    }
                    admins = (names.map(\.value), entry)
                }
            case "reload_interval":
                if let interval = boundedDuration(entry.value, path: entry.path, in: .milliseconds(100)...(.seconds(86_400)),
                                                  shown: "100ms to 24h") {
                    reloadInterval = interval
                }
            default:
                break
            }
        }
        let sectionMark = node.mark
        for key in ["server_cert", "server_key"] where !entries.contains(where: { $0.key == key }) {
            error("'\(path)' needs '\(key)' (a PEM file) to serve TLS; set 'enabled: false' to serve plain HTTP",
                  at: sectionMark, path: configPath(path, key))
        }
        if caCert == nil && !entries.contains(where: { $0.key == "ca_cert" }) {
            // Client-certificate settings without a CA to check certificates against would be ignored.
            if let require, require.value {
                error("'\(require.entry.path)' is true but no 'ca_cert' is set: client certificates can only be "
                      + "required when there is a CA to verify them against", at: require.entry.keyMark, path: require.entry.path)
            }
            for entry in [naming?.entry, admins?.entry].compactMap({ $0 }) {
                error("'\(entry.path)' names principals from client certificates, which are only read when 'ca_cert' is set",
                      at: entry.keyMark, path: entry.path)
            }
        }
        guard diagnostics.count == start, let serverCert, let serverKey else { return nil }
        let settings = TLSSettings(
            serverCertificatePath: serverCert.path, serverKeyPath: serverKey.path, clientCAPath: caCert?.path,
            // As in the reference: a client CA means client certificates are required unless said otherwise.
            requireClientCertificate: require?.value ?? (caCert != nil),
            clientPrincipal: naming?.value ?? .subjectCommonName, adminPrincipals: admins?.value ?? [],
            reloadInterval: reloadInterval)
        do {
            _ = try TLSMaterial.serverContext(settings)
        } catch {
            let entry = [serverCert.entry, serverKey.entry, caCert?.entry].compactMap { $0 }.first { $0.key == error.key }
            let entryPath = configPath(path, error.key)
            self.error(error.message, at: entry?.value.mark ?? sectionMark, path: entryPath)
            return nil
        }
        return settings
    }

    /// A PEM file's path, resolved against the config file's directory.
    private mutating func file(_ entry: MappingEntry) -> String? {
        guard let written = string(entry.value, path: entry.path) else { return nil }
        guard !written.isEmpty else {
            error("expected the path of a PEM file for '\(entry.path)', found nothing", at: entry.value.mark, path: entry.path)
            return nil
        }
        return resolvedConfigRelativePath(written)
    }

    private mutating func clientCertificateName(_ entry: MappingEntry) -> ClientCertificateName? {
        guard let text = string(entry.value, path: entry.path) else { return nil }
        if let name = ClientCertificateName(rawValue: text) { return name }
        let choices = ClientCertificateName.allCases.map(\.rawValue)
        let hint = closestSuggestion(for: text, among: choices).map { "; did you mean '\($0)'?" } ?? ""
        reportMismatch(expected: "one of " + choices.joined(separator: ", "), found: text, node: entry.value,
                       path: entry.path, hint: hint)
        return nil
    }
}
