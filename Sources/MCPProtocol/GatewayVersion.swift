// The gateway's own version, reported in serverInfo, clientInfo, /health and --version.

public enum GatewayVersion {
    public static let current = "0.1.0"
}
