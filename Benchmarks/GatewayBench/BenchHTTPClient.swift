// The load generator's HTTP client: HTTP/1.1 only, keep-alive, and enough pooled
// connections that every client task keeps its own (the default pool caps at 8 per host).

import AsyncHTTPClient
import NIOCore

enum BenchHTTPClient {
    static func make(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.timeout.connect = .seconds(5)
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool = .init(idleTimeout: .seconds(120),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, 1))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with a fresh client and always shuts the client down.
    static func with<T: Sendable>(connections: Int, _ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = make(connections: connections)
        do {
            let value = try await body(client)
            try await client.shutdown()
            return value
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
