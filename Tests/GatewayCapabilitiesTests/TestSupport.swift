// Shared helpers: parse capability YAML, build catalogs pointed at loopback servers, read call results.

import Foundation
import GatewayCapabilities
import GatewayConfig
import Logging
import MCPProtocol

func loadCapability(_ yaml: String, path: String = "test.yaml") -> CapabilityLoadResult {
    CapabilityFileLoader.parse(yaml: yaml, path: path)
}

/// Loopback allowed, no starter pack unless asked, fast polling and backoff. `allowEnv` is the allow-list
/// of every directory and of the starter pack, as the operator's config would give it.
func testSettings(directories: [String] = [], starterPack: Bool = false, environment: [String: String] = [:],
                  allowEnv: [String] = [], originOverrides: [String: String] = [:], allowLoopback: Bool = true)
    -> CapabilitySettings {
    CapabilitySettings(
        directories: directories.map { CapabilityDirectory(path: $0, allowEnv: allowEnv) }, includeStarterPack: starterPack,
        starterPackAllowEnv: allowEnv,
        starterPackDirectory: starterPack ? starterPackDirectory() : nil,
        ssrfAllow: allowLoopback ? [IPNetwork("127.0.0.1")].compactMap { $0 } : [],
        environment: environment, originOverrides: originOverrides, pollInterval: .milliseconds(50),
        retryBackoff: .milliseconds(5))
}

/// The starter pack in the source tree (tests must not depend on where the build put resources).
func starterPackDirectory() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/GatewayCapabilities/StarterPack").path
}

func quietLogger() -> Logger {
    var logger = Logger(label: "capabilities-test")
    logger.logLevel = .critical
    return logger
}

/// A temporary directory removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "capabilities-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + name)
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The parts of a CallToolResult tests look at.
struct CallOutcome {
    var isError: Bool
    var texts: [String]
    var structured: JSONValue?

    var text: String { texts.first ?? "" }

    init(_ result: CapabilityCallResult) {
        guard case .result(let raw) = result, let value = try? raw.parsed() else {
            isError = true
            texts = ["unknown tool"]
            return
        }
        isError = value["isError"]?.boolValue ?? false
        texts = (value["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        structured = value["structuredContent"]
    }
}

/// Runs `body` with a catalog over the given settings, always stopping it.
func withCatalog<T>(_ settings: CapabilitySettings, _ body: (CapabilityCatalog) async throws -> T) async throws -> T {
    let catalog = CapabilityCatalog(settings: settings, logger: quietLogger())
    await catalog.start()
    do {
        let value = try await body(catalog)
        await catalog.stop()
        return value
    } catch {
        await catalog.stop()
        throw error
    }
}

func json(_ text: String) -> [UInt8] { Array(text.utf8) }
