// The `server:` section: where the gateway listens and the limits of its HTTP front end.

/// Settings of the downstream (client-facing) server.
public struct ServerSettings: Sendable, Equatable {
    /// Loopback by default so that nothing is exposed to the network unless asked for.
    public var host: String
    public var port: Int
    public var requestTimeout: Duration
    public var shutdownTimeout: Duration
    /// Largest accepted request body, in bytes.
    public var maxBodySize: Int
    /// Origin values accepted in addition to the localhost ones; "*" accepts any origin.
    public var allowedOrigins: [String]
    /// Resource bounds (`server.limits:`).
    public var limits = ServerLimits()

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 39400
    public static let defaultMaxBodySize = 10 * 1024 * 1024
    /// The largest `max_body_size` accepted: the WebSocket frame decoder takes a 32-bit size
    /// (anything above 4 GiB trapped on the first connection), and no JSON-RPC message near a
    /// gigabyte is anything but a mistake.
    public static let maximumBodySize = 1024 * 1024 * 1024

    public init(
        host: String = ServerSettings.defaultHost,
        port: Int = ServerSettings.defaultPort,
        requestTimeout: Duration = .seconds(30),
        shutdownTimeout: Duration = .seconds(30),
        maxBodySize: Int = ServerSettings.defaultMaxBodySize,
        allowedOrigins: [String] = []
    ) {
        self.host = host
        self.port = port
        self.requestTimeout = requestTimeout
        self.shutdownTimeout = shutdownTimeout
        self.maxBodySize = maxBodySize
        self.allowedOrigins = allowedOrigins
    }
}
