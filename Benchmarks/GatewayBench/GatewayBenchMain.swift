// Placeholder until the load generator lands.
@main struct GatewayBenchMain { static func main() {} }
