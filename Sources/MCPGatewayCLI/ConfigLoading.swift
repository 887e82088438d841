// Config discovery with this process's environment and directories.

import Foundation
import GatewayConfig

enum ConfigLoading {
    static func load(explicitPath: String?) -> ConfigLoadResult {
        let environment = ProcessInfo.processInfo.environment
        return ConfigLoader.load(
            explicitPath: explicitPath,
            environment: environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            homeDirectory: environment["HOME"] ?? NSHomeDirectory())
    }
}
