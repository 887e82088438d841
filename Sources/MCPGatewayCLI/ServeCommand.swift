// `mcp-gateway serve`: loads the configuration (or the built-in default) and runs the
// HTTP front end, or the stdio one with --stdio. The usual invocations skip this parser at
// start-up (ServeFastPath); the options are declared here for help, completions and errors.

import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the gateway (the default command).")

    @Option(name: [.short, .long], help: "Configuration file (else $MCP_GATEWAY_CONFIG, ~/.config/mcp-gateway/gateway.yaml, /etc/mcp-gateway/gateway.yaml, built-in default; ./gateway.yaml only when named here).")
    var config: String?

    @Option(help: "Address to listen on (overrides server.host).")
    var host: String?

    @Option(name: [.short, .long], help: "Port to listen on (overrides server.port; 0 picks a free port).")
    var port: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "text or json.")
    var logFormat: String = "text"

    @Flag(help: "Serve MCP over stdin/stdout instead of HTTP.")
    var stdio = false

    var options: ServeOptions {
        ServeOptions(config: config, host: host, port: port, logLevel: logLevel, logFormat: logFormat, stdio: stdio)
    }

    func validate() throws { try options.validate() }

    func run() async throws { try await options.run() }
}
