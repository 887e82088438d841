// Config discovery with this process's environment and directories.

import ArgumentParser
import Foundation
import GatewayConfig
import GatewayCore

enum ConfigLoading {
    static func load(explicitPath: String?) -> ConfigLoadResult {
        let environment = ProcessInfo.processInfo.environment
        return ConfigLoader.load(
            explicitPath: explicitPath,
            environment: environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            homeDirectory: environment["HOME"] ?? NSHomeDirectory())
    }

    /// The catalog cache path of the config found from `explicitPath`, for the commands that
    /// read a file kept beside it (`what`, for the error: "no pin file"). Config errors are
    /// printed and end the process with status 2.
    static func catalogCachePath(explicitPath: String?, what: String) throws -> String {
        let loaded = load(explicitPath: explicitPath)
        guard let gatewayConfig = loaded.config, loaded.errors.isEmpty else {
            for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            throw ExitCode(2)
        }
        guard let catalogPath = CatalogStore.defaultPath(configPath: gatewayConfig.sourcePath,
                                                         environment: ProcessInfo.processInfo.environment) else {
            throw ValidationError("no cache directory (set MCP_GATEWAY_CACHE_DIR, XDG_CACHE_HOME or HOME), so there is \(what)")
        }
        return catalogPath
    }
}
