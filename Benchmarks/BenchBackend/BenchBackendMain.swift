// bench-backend: a small, fast MCP server for benchmarks, over stdio or Streamable HTTP,
// with `echo` and optionally thousands of synthetic tools (see Benchmarks/README.md); or, with
// --echo-http, a bare Hummingbird endpoint that answers every POST with fixed bytes (the
// ceiling issue 5 measures against; the MCP --http front end is bare SwiftNIO); or, with
// --relay-tcp / --relay-http, a bare SwiftNIO relay to another port (the floor of a relay).

import NIOCore

@main
struct BenchBackendMain {
    static func main() async throws {
        let options: BenchBackendOptions
        switch BenchBackendOptions.parse(Array(CommandLine.arguments.dropFirst())) {
        case .success(let parsed): options = parsed
        case .failure(let problem):
            writeToStandardError("bench-backend: \(problem.message)\n\(BenchBackendOptions.usage)\n")
            exitProcess(2)
        }
        let responder = BenchResponder(catalog: SyntheticCatalog(syntheticCount: options.toolCount))
        switch options.mode {
        case .stdio:
            do {
                try await StdioServer.run(responder: responder)
            } catch ChannelError.operationUnsupported {
                writeToStandardError("\(StdioServer.pipesOnly)\n")
                exitProcess(1)
            }
        case .http(let port): try await HTTPServer.run(responder: responder, port: port)
        case .echoHTTP(let port): try await EchoHTTPServer.run(port: port)
        case .relay(let kind, let port): try await RelayServer.run(kind: kind, port: port, backendPort: options.relayTarget ?? 0)
        }
    }
}
