// Command-line options of bench-backend, parsed by hand (the target has no ArgumentParser),
// and the two libc helpers the entry point needs (stderr text, exit).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct BenchBackendOptions {
    enum Mode { case stdio, http(port: Int), echoHTTP(port: Int), relay(RelayServer.Kind, port: Int) }

    struct Problem: Error { let message: String }

    var mode: Mode
    var toolCount: Int
    /// The backend a relay forwards to (--to PORT, on 127.0.0.1).
    var relayTarget: Int?

    static let usage = "usage: bench-backend (--stdio | --http PORT | --echo-http PORT | --relay-tcp PORT --to PORT | --relay-http PORT --to PORT) [--tools N]"

    static func parse(_ arguments: [String]) -> Result<BenchBackendOptions, Problem> {
        var mode: Mode?
        var toolCount = 0
        var relayTarget: Int?
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--stdio":
                mode = .stdio
            case "--http":
                guard let value = remaining.popFirst(), let port = Int(value), (1...65535).contains(port) else {
                    return .failure(Problem(message: "--http needs a port 1-65535"))
                }
                mode = .http(port: port)
            case "--echo-http":
                guard let value = remaining.popFirst(), let port = Int(value), (1...65535).contains(port) else {
                    return .failure(Problem(message: "--echo-http needs a port 1-65535"))
                }
                mode = .echoHTTP(port: port)
            case "--relay-tcp", "--relay-http", "--to":
                guard let value = remaining.popFirst(), let port = Int(value), (1...65535).contains(port) else {
                    return .failure(Problem(message: "\(argument) needs a port 1-65535"))
                }
                switch argument {
                case "--relay-tcp": mode = .relay(.tcp, port: port)
                case "--relay-http": mode = .relay(.http, port: port)
                default: relayTarget = port
                }
            case "--tools":
                guard let value = remaining.popFirst(), let count = Int(value), (0...1_000_000).contains(count) else {
                    return .failure(Problem(message: "--tools needs a count 0-1000000"))
                }
                toolCount = count
            case "--help", "-h":
                return .failure(Problem(message: "a fast MCP backend for benchmarks"))
            default:
                return .failure(Problem(message: "unknown argument '\(argument)'"))
            }
        }
        guard let mode else { return .failure(Problem(message: "choose --stdio, --http PORT, --echo-http PORT or a relay")) }
        if case .relay = mode, relayTarget == nil { return .failure(Problem(message: "a relay needs --to PORT")) }
        return .success(BenchBackendOptions(mode: mode, toolCount: toolCount, relayTarget: relayTarget))
    }
}

func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

func exitProcess(_ code: Int32) -> Never {
    exit(code)
}
