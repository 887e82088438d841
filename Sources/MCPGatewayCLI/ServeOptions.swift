// What `mcp-gateway serve` runs with, whichever parser read the command line: ArgumentParser
// (ServeCommand) or the start-up fast path (ServeFastPath). Validation and the run live here
// so that both paths behave the same.

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayCore
import GatewaySealing
import GatewayServer
import Logging

struct ServeOptions: Equatable, Sendable {
    var config: String?
    var host: String?
    var port: Int?
    var logLevel = "info"
    var logFormat = "text"
    var stdio = false

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("--log-level must be one of: trace, debug, info, notice, warning, error, critical")
        }
        guard LogFormat(rawValue: logFormat.lowercased()) != nil else {
            throw ValidationError("--log-format must be text or json")
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0-65535") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LogSetup.bootstrap(level: level, format: LogFormat(rawValue: logFormat.lowercased()) ?? .text)
        let logger = Logger(label: "mcp-gateway")
        let loaded = ConfigLoading.load(explicitPath: config)
        for warning in loaded.warnings { logger.warning("\(warning)") }
        guard let gatewayConfig = loaded.config, loaded.errors.isEmpty else {
            for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            throw ExitCode(2)
        }
        // The config's own host was checked at load; --host is checked here, the same way.
        if !stdio, let host, let refusal = BindExposure.refusal(host: host, auth: gatewayConfig.auth, tls: gatewayConfig.tls) {
            FileHandle.standardError.write(Data("error: --host: \(refusal)\n".utf8))
            throw ExitCode(2)
        }
        if stdio, let refusal = AuditOptions.stdioRefusal(gatewayConfig) {
            FileHandle.standardError.write(Data("error: \(refusal)\n".utf8))
            throw ExitCode(2)
        }
        let sessionKeys: SealingKeyRing?
        do {
            sessionKeys = try SessionKeysEnvironment.keyRing(from: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("error: \(SessionKeysEnvironment.variable): \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let ignored = loaded.ignoredWorkingDirectoryFile {
            logger.warning("\(ignored) is not loaded: a config starts commands, so one in the working directory is used only when named (--config \(ignored))")
        }
        if let path = loaded.source.path {
            logger.info("configuration: \(path)")
        } else {
            logger.notice("no configuration file found; using the built-in default (no backends). Add backends in ~/.config/mcp-gateway/gateway.yaml or a gateway.yaml named with --config, see docs/configuration.md")
        }
        try await GatewayRunner.run(
            config: gatewayConfig,
            host: host ?? gatewayConfig.server.host,
            port: port ?? gatewayConfig.server.port,
            stdio: stdio,
            catalogCachePath: CatalogStore.defaultPath(configPath: gatewayConfig.sourcePath,
                                                       environment: ProcessInfo.processInfo.environment),
            sessionKeys: sessionKeys,
            logger: logger)
    }
}
