// Everything the capability catalog needs, usually derived from the gateway config (`capabilities:` and
// `security.ssrf_allow`), with the knobs tests use: the environment, origin overrides, timings.

import Foundation
import GatewayConfig

/// Settings of a `CapabilityCatalog`.
public struct CapabilitySettings: Sendable {
    public var enabled: Bool
    /// The server name the tools are listed under.
    public var serverName: String
    /// Directories of capability files, watched for changes, in precedence order, each with the secrets
    /// its files may read.
    public var directories: [CapabilityDirectory]
    public var includeStarterPack: Bool
    /// Environment variables the starter pack may read; its tools needing any other are left out.
    public var starterPackAllowEnv: [String]
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

    public init(enabled: Bool = true, serverName: String = CapabilitiesSettings.defaultName,
                directories: [CapabilityDirectory] = [], includeStarterPack: Bool = true,
                starterPackAllowEnv: [String] = [], starterPackDirectory: String? = nil, ssrfAllow: [IPNetwork] = [],
                environment: [String: String] = ProcessInfo.processInfo.environment,
                originOverrides: [String: String] = [:], pollInterval: Duration = .milliseconds(100),
                retryBackoff: Duration = .milliseconds(200)) {
        self.enabled = enabled
        self.serverName = serverName
        self.directories = directories
        self.includeStarterPack = includeStarterPack
        self.starterPackAllowEnv = starterPackAllowEnv
        self.starterPackDirectory = starterPackDirectory
        self.ssrfAllow = ssrfAllow
        self.environment = environment
        self.originOverrides = originOverrides
        self.pollInterval = pollInterval
        self.retryBackoff = retryBackoff
    }

    /// From a loaded config. Only the directories it lists are loaded: nothing is picked up from the
    /// working directory, where anyone who controls it could add files that read the gateway's secrets.
    public init(config: GatewayConfig, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let section = config.capabilities
        self.init(enabled: section.enabled, serverName: section.name, directories: section.directories,
                  includeStarterPack: section.starterPack, starterPackAllowEnv: section.starterPackAllowEnv,
                  ssrfAllow: config.security.ssrfAllow, environment: environment)
    }

    /// The secret policy of the starter pack.
    var starterPackPolicy: SecretPolicy {
        SecretPolicy(allowedEnvironment: Set(starterPackAllowEnv), configKey: "capabilities.starter_pack_allow_env",
                     homeDirectory: environment["HOME"])
    }

    func policy(for directory: CapabilityDirectory) -> SecretPolicy {
        SecretPolicy(directory, homeDirectory: environment["HOME"])
    }
}
