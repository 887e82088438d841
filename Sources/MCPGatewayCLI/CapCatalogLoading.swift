// Shared by the `cap` subcommands: the capability settings from the gateway config (or defaults), and
// a catalog loaded once without watching.

import ArgumentParser
import Foundation
import GatewayCapabilities
import GatewayConfig
import Logging

enum CapCatalogLoading {
    /// Settings from the config the gateway would use; exits with the config's errors when it is broken.
    static func settings(configPath: String?) throws -> CapabilitySettings {
        let loaded = ConfigLoading.load(explicitPath: configPath)
        guard let config = loaded.config, loaded.errors.isEmpty else {
            for error in loaded.errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            throw ExitCode(2)
        }
        return CapabilitySettings(config: config)
    }

    /// A catalog with every file loaded (not watching). Call `stop()` when done.
    static func catalog(configPath: String?) async throws -> CapabilityCatalog {
        var logger = Logger(label: "mcp-gateway.cap")
        logger.logLevel = .error
        let catalog = CapabilityCatalog(settings: try settings(configPath: configPath), logger: logger)
        catalog.reload()
        return catalog
    }

    /// Every `*.yaml`/`*.yml` file of a path (a file, or a directory searched recursively).
    static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("\(path) does not exist")
        }
        guard isDirectory.boolValue else { return [path] }
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let item = enumerator?.nextObject() as? String {
            let name = (item as NSString).lastPathComponent
            if !name.hasPrefix("."), ["yaml", "yml"].contains((item as NSString).pathExtension.lowercased()) {
                files.append((path as NSString).appendingPathComponent(item))
            }
        }
        return files.sorted()
    }
}
