// The state instances of one service share (issue 21): a PostgreSQL database reached through
// postgres-nio's connection pool. `open` connects, brings the schema up to date and runs the pool
// until `close`. Each kind of shared state has its own file (ClusterStore+EndedSessions, ...).

import Logging
import PostgresNIO

public final class ClusterStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    public let url: DatabaseURL
    private let running: Task<Void, Never>

    private init(client: PostgresClient, url: DatabaseURL, logger: Logger) {
        self.client = client
        self.url = url
        self.logger = logger
        self.running = Task { await client.run() }
    }

    /// Connects and migrates; throws ClusterStoreError when the database cannot be used.
    public static func open(_ url: DatabaseURL, maximumConnections: Int = 8, connectTimeout: Duration = .seconds(10),
                            logger: Logger) async throws -> ClusterStore {
        // One connection first: a wrong password or a server that is not there is an error now,
        // not a pool retrying in the background. The schema is brought up to date on it.
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try url.connectionConfiguration(connectTimeout: connectTimeout), id: 0, logger: logger)
            do {
                let applied = try await SchemaMigrations.run(on: connection, logger: logger)
                try? await connection.close()
                if !applied.isEmpty {
                    logger.notice("cluster database schema migrated", metadata: ["versions": "\(applied)", "database": "\(url.redacted)"])
                }
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as ClusterStoreError {
            throw error
        } catch {
            throw ClusterStoreError.unreachable(ClusterStoreError.describe(error))
        }
        var configuration = url.clientConfiguration()
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        return ClusterStore(client: PostgresClient(configuration: configuration, backgroundLogger: logger), url: url, logger: logger)
    }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        var version = 0
        for try await value in try await client.query("SELECT coalesce(max(version), 0) FROM mcp_gateway_schema", logger: logger)
            .decode(Int.self) {
            version = value
        }
        return version
    }

    public func close() {
        running.cancel()
    }
}
