// Discovery order of gateway.yaml, using temporary directories for the working, home and system directories.

import Foundation
import Testing
@testable import GatewayConfig

@Suite struct ConfigDiscoveryTests {
    /// Fresh cwd, home and system directories under a unique temporary root.
    private struct Sandbox {
        let root: String
        var cwd: String { root + "/cwd" }
        var home: String { root + "/home" }
        var system: String { root + "/etc/mcp-gateway" }
        var homeConfig: String { home + "/.config/mcp-gateway/gateway.yaml" }

        init() throws {
            root = NSTemporaryDirectory() + "gateway-config-tests-" + UUID().uuidString
            for directory in [root + "/cwd", root + "/home/.config/mcp-gateway", root + "/etc/mcp-gateway"] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }

        func write(_ path: String, port: Int) throws {
            try "server:\n  port: \(port)\n".write(toFile: path, atomically: true, encoding: .utf8)
        }

        func load(explicit: String? = nil, environment: [String: String] = [:]) -> ConfigLoadResult {
            ConfigLoader.load(
                explicitPath: explicit, environment: environment, currentDirectory: cwd, homeDirectory: home,
                systemDirectory: system
            )
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func orderOfPrecedence() throws {
        let box = try Sandbox()
        defer { box.remove() }

        var result = box.load()
        #expect(result.source == .builtinDefault)
        #expect(result.config == .builtinDefault)
        #expect(result.diagnostics.isEmpty)
        #expect(result.searchedPaths == [box.homeConfig, box.system + "/gateway.yaml"])
        #expect(result.ignoredWorkingDirectoryFile == nil)

        try box.write(box.system + "/gateway.yaml", port: 1003)
        result = box.load()
        #expect(result.source == .discovered(box.system + "/gateway.yaml"))
        #expect(result.config?.server.port == 1003)

        try box.write(box.homeConfig, port: 1002)
        #expect(box.load().config?.server.port == 1002)
        #expect(box.load().source == .discovered(box.homeConfig))

        // The working directory's file is never picked up on its own (it could start any
        // command): it is pointed out, and used only when named.
        try box.write(box.cwd + "/gateway.yaml", port: 1001)
        result = box.load()
        #expect(result.config?.server.port == 1002)
        #expect(result.ignoredWorkingDirectoryFile == box.cwd + "/gateway.yaml")
        #expect(box.load(explicit: "./gateway.yaml").config?.server.port == 1001)

        let fromVariable = box.root + "/from-env.yaml"
        try box.write(fromVariable, port: 1004)
        result = box.load(environment: ["MCP_GATEWAY_CONFIG": fromVariable])
        #expect(result.source == .environmentVariable(fromVariable))
        #expect(result.config?.server.port == 1004)

        let explicit = box.root + "/explicit.yaml"
        try box.write(explicit, port: 1005)
        result = box.load(explicit: explicit, environment: ["MCP_GATEWAY_CONFIG": fromVariable])
        #expect(result.source == .explicitPath(explicit))
        #expect(result.config?.server.port == 1005)
    }

    @Test func aWorkingDirectoryFileAloneLeavesTheBuiltinDefault() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write(box.cwd + "/gateway.yaml", port: 1001)
        let result = box.load()
        #expect(result.source == .builtinDefault)
        #expect(result.ignoredWorkingDirectoryFile == box.cwd + "/gateway.yaml")
        #expect(box.load(environment: ["MCP_GATEWAY_CONFIG": "gateway.yaml"]).config?.server.port == 1001)
    }

    @Test func relativeAndHomePaths() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write(box.cwd + "/custom.yaml", port: 2001)
        try box.write(box.home + "/mine.yaml", port: 2002)
        #expect(box.load(explicit: "custom.yaml").config?.server.port == 2001)
        #expect(box.load(explicit: "./custom.yaml").source == .explicitPath(box.cwd + "/custom.yaml"))
        #expect(box.load(explicit: "~/mine.yaml").config?.server.port == 2002)
        #expect(box.load(environment: ["MCP_GATEWAY_CONFIG": "~/mine.yaml"]).config?.server.port == 2002)
    }

    @Test func missingExplicitPathIsAnError() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try box.write(box.cwd + "/gateway.yaml", port: 1001)
        let result = box.load(explicit: box.root + "/missing.yaml")
        #expect(result.config == nil)
        #expect(result.source == .explicitPath(box.root + "/missing.yaml"))
        #expect(result.errors.first?.description == "\(box.root)/missing.yaml: error: config file named by --config does not exist")
    }

    @Test func missingEnvironmentPathIsAnError() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let result = box.load(environment: ["MCP_GATEWAY_CONFIG": box.root + "/nope.yaml"])
        #expect(result.config == nil)
        #expect(result.errors.first?.message == "config file named by $MCP_GATEWAY_CONFIG does not exist")
    }

    @Test func emptyEnvironmentVariableIsIgnored() throws {
        let box = try Sandbox()
        defer { box.remove() }
        #expect(box.load(environment: ["MCP_GATEWAY_CONFIG": ""]).source == .builtinDefault)
    }

    @Test func brokenDiscoveredFileIsAnErrorNotASkip() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try "server:\n  port: nope\n".write(toFile: box.homeConfig, atomically: true, encoding: .utf8)
        try box.write(box.system + "/gateway.yaml", port: 1003)
        let result = box.load()
        #expect(result.config == nil)
        #expect(result.source == .discovered(box.homeConfig))
        #expect(result.errors.first?.file == box.homeConfig)
        #expect(result.errors.first?.line == 2)
    }

    @Test func directoryAndUnreadableFiles() throws {
        let box = try Sandbox()
        defer { box.remove() }
        let result = ConfigLoader.load(file: box.cwd, environment: [:])
        #expect(result.errors.first?.message == "is a directory, not a config file")
        let binary = box.root + "/binary.yaml"
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: URL(fileURLWithPath: binary))
        #expect(ConfigLoader.load(file: binary, environment: [:]).errors.first?.message == "config file is not valid UTF-8")
    }

    @Test func sourceDescriptions() {
        #expect(ConfigSource.builtinDefault.description == "built-in default config")
        #expect(ConfigSource.builtinDefault.path == nil)
        #expect(ConfigSource.explicitPath("/x.yaml").description == "/x.yaml (from --config)")
        #expect(ConfigSource.environmentVariable("/y.yaml").description == "/y.yaml (from $MCP_GATEWAY_CONFIG)")
    }
}
