// Finds the starter pack: the capability files shipped with the gateway as a SwiftPM resource. Looked up
// by hand (not with Bundle.module, which aborts the process when the resource folder is missing) next
// to the executable, then where the build placed it; `MCP_GATEWAY_STARTER_PACK` overrides both.

import Foundation

public enum StarterPack {
    static let bundleName = "mcp-gateway_GatewayCapabilities.resources"
    static let folderName = "StarterPack"

    /// The starter pack directory, or nil when it is not installed.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let override = environment["MCP_GATEWAY_STARTER_PACK"], !override.isEmpty { return override }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName).path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName).path)
        if let resources = Bundle.main.resourceURL { candidates.append(resources.appendingPathComponent(bundleName).path) }
        // Test runners live in the build directory next to the bundle, one level up from the .xctest bundle.
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName).path)
        for candidate in candidates {
            let folder = candidate + "/" + folderName
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
                return folder
            }
        }
        return nil
    }
}
