// Everything the capability catalog needs, usually derived from the gateway config (`capabilities:` and
// `security.ssrf_allow`), with the knobs tests use: the environment, origin overrides, timings.

import Foundation
import GatewayConfig

/// Settings of a `CapabilityCatalog`.
public struct CapabilitySettings: Sendable {
    public var enabled: Bool
    /// The server name the tools are listed under.
    public var serverName: String
    /// Directories of capability files, watched for changes, in precedence order.
    public var directories: [String]
    public var includeStarterPack: Bool
    /// Where the starter pack is; nil finds the one installed with the gateway.
    public var starterPackDirectory: String?
    public var ssrfAllow: [IPNetwork]
    /// The environment secrets (`env:NAME`, `{env.NAME}`) are read from.
    public var environment: [String: String]
    /// `https://api.example.com` → `http://127.0.0.1:PORT`: requests to an origin go to another one
    /// (tests point starter-pack capabilities at loopback servers; the SSRF check still applies).
    public var originOverrides: [String: String]
    /// How often the directories are checked for changes.
    public var pollInterval: Duration
    public var retryBackoff: Duration

    public init(enabled: Bool = true, serverName: String = CapabilitiesSettings.defaultName, directories: [String] = [],
                includeStarterPack: Bool = true, starterPackDirectory: String? = nil, ssrfAllow: [IPNetwork] = [],
                environment: [String: String] = ProcessInfo.processInfo.environment,
                originOverrides: [String: String] = [:], pollInterval: Duration = .milliseconds(100),
                retryBackoff: Duration = .milliseconds(200)) {
        self.enabled = enabled
        self.serverName = serverName
        self.directories = directories
        self.includeStarterPack = includeStarterPack
        self.starterPackDirectory = starterPackDirectory
        self.ssrfAllow = ssrfAllow
        self.environment = environment
        self.originOverrides = originOverrides
        self.pollInterval = pollInterval
        self.retryBackoff = retryBackoff
    }

    /// From a loaded config. With no `capabilities.directories`, `./capabilities` of `currentDirectory`
    /// is used when it exists (the directory is watched either way, so creating it later works only
    /// when it is configured explicitly).
    public init(config: GatewayConfig, currentDirectory: String = FileManager.default.currentDirectoryPath,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let section = config.capabilities
        var directories = section.directories ?? []
        if section.directories == nil {
            let local = currentDirectory + "/capabilities"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue {
                directories = [local]
            }
        }
        self.init(enabled: section.enabled, serverName: section.name, directories: directories,
                  includeStarterPack: section.starterPack, ssrfAllow: config.security.ssrfAllow, environment: environment)
    }
}
