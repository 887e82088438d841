// The cluster database's address, `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE`, read
// into postgres-nio's configuration. Errors say what is wrong with the URL but never repeat it:
// it holds a password.

import Foundation
import NIOSSL
import PostgresNIO

public struct DatabaseURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP: only for a database on loopback or a private network.
        case disable
        /// TLS when the server offers it (postgres-nio's default), without checking its certificate.
        case prefer
        /// TLS always, the certificate checked against the system's roots and the host name.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(_ text: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)) else { throw .unreadable }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw .scheme
        }
        guard let host = components.host, !host.isEmpty else { throw .missing("a host") }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else { throw .missing("a user") }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw .missing("a database name after the host") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else { throw .sslMode }
                tls = mode
            default:
                throw .parameter(item.name)
            }
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .port }
        // An IPv6 literal comes back in brackets.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        self.username = user
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.database = database
        self.tls = tls
    }

    /// The URL with its password masked, for logs and `/health`.
    public var redacted: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }

    /// The TLS settings of `sslmode`: none for disable; for prefer, TLS without checking the
    /// certificate (what libpq's prefer does); for require, a checked certificate.
    private var tlsConfiguration: TLSConfiguration? {
        switch tls {
        case .disable:
            return nil
        case .prefer:
            var insecure = TLSConfiguration.makeClientConfiguration()
            insecure.certificateVerification = .none
            return insecure
        case .require:
            return TLSConfiguration.makeClientConfiguration()
        }
    }

    /// For the one connection `ClusterStore.open` checks and migrates with: it fails at once on a
    /// wrong password or an unreachable server, where the pool would keep retrying.
    func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = try tlsConfiguration.map { settings in
            let context = try NIOSSLContext(configuration: settings)
            return self.tls == .require ? .require(context) : .prefer(context)
        } ?? .disable
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                             database: database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
            + connectTimeout.components.attoseconds / 1_000_000_000)
        return configuration
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = tlsConfiguration.map { self.tls == .require ? .require($0) : .prefer($0) } ?? .disable
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}

public enum DatabaseURLError: Error, Equatable, CustomStringConvertible {
    case unreadable
    case scheme
    case missing(String)
    case sslMode
    case parameter(String)
    case port

    public var description: String {
        let shape = "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require"
        switch self {
        case .unreadable: return "the database URL is not a URL; \(shape)"
        case .scheme: return "the database URL must start with postgres:// or postgresql://; \(shape)"
        case .missing(let what): return "the database URL has no \(what); \(shape)"
        case .sslMode: return "the database URL's sslmode must be disable, prefer or require"
        case .parameter(let name): return "the database URL has an unknown parameter '\(name)' (only sslmode is read)"
        case .port: return "the database URL's port must be 1-65535"
        }
    }
}
