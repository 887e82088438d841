// `mcp-gateway ready`: asks a running gateway's /ready and exits 0 when it is ready, 1 when it is
// not or does not answer, saying why. A container HEALTHCHECK or a systemd unit can use it with
// no curl in the image. Over TLS the probe goes to this machine's own listener, so the server's
// certificate is not verified (a probe checks readiness, not identity); a listener that demands
// client certificates needs --url to a plain listener, or another probe.

import ArgumentParser
import AsyncHTTPClient
import Foundation
import GatewayConfig
import NIOCore

struct ReadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ready",
        abstract: "Ask a running gateway whether it is ready (GET /ready): exit 0 if it is, 1 if not.")

    @Option(name: .long, help: "The configuration whose server.host and server.port to probe (default: the one serve would use).")
    var config: String?

    @Option(name: .long, help: "Probe this URL instead of the configuration's, e.g. http://127.0.0.1:8080/ready.")
    var url: String?

    @Option(name: .long, help: "Seconds to wait for the answer.")
    var timeout: Int = 5

    func validate() throws {
        guard (1...300).contains(timeout) else { throw ValidationError("--timeout is 1 to 300 seconds") }
    }

    func run() async throws {
        let target: String
        if let url {
            target = url
        } else {
            let loaded = ConfigLoading.load(explicitPath: config)
            guard let gatewayConfig = loaded.config, loaded.errors.isEmpty else {
                for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
                throw ExitCode(2)
            }
            target = ReadyProbeTarget.url(for: gatewayConfig)
        }
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = .clientDefault
        configuration.tlsConfiguration?.certificateVerification = .none
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome: Result<(status: Int, body: String), any Error>
        do {
            let response = try await client.execute(HTTPClientRequest(url: target), timeout: .seconds(Int64(timeout)))
            let body = try await response.body.collect(upTo: 64 * 1024)
            outcome = .success((Int(response.status.code), String(buffer: body)))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        switch outcome {
        case .success(let answer) where answer.status == 200:
            print("ready: \(target)")
        case .success(let answer):
            print("not ready: \(target) answered \(answer.status) \(answer.body.prefix(200))")
            throw ExitCode(1)
        case .failure(let error):
            print("not ready: \(target) did not answer (\(error))")
            throw ExitCode(1)
        }
    }
}
