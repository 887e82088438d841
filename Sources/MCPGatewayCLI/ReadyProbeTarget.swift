// Where `mcp-gateway ready` asks: the /ready URL of the gateway a configuration describes. A
// wildcard listen address is probed on loopback (it accepts there too), and the scheme follows
// `mtls`, so the same command works as a container HEALTHCHECK for plain and TLS set-ups.

import GatewayConfig

enum ReadyProbeTarget {
    static func url(host: String, port: Int, tls: Bool) -> String {
        var probed = host
        switch host {
        case "", "0.0.0.0": probed = "127.0.0.1"
        case "::", "[::]": probed = "[::1]"
        default:
            if host.contains(":"), !host.hasPrefix("[") { probed = "[\(host)]" }
        }
        return "\(tls ? "https" : "http")://\(probed):\(port)/ready"
    }

    static func url(for config: GatewayConfig) -> String {
        url(host: config.server.host, port: config.server.port, tls: config.tls != nil)
    }
}
