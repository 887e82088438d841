// Finds the search model: the `SearchModel` folder shipped as ToolSearch's SwiftPM resource. Looked
// up by hand (Bundle.module aborts the process when the resource folder is missing) next to the
// executable, then where the build placed it; `MCP_GATEWAY_SEARCH_MODEL` names another folder.

import Foundation

enum SearchModelLocation {
    static let bundleName = "mcp-gateway_ToolSearch.resources"
    static let folderName = "SearchModel"
    static let environmentKey = "MCP_GATEWAY_SEARCH_MODEL"

    /// The model folder, or nil when none is installed.
    static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let override = environment[environmentKey], !override.isEmpty { return override }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName).path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName).path)
        if let resources = Bundle.main.resourceURL { candidates.append(resources.appendingPathComponent(bundleName).path) }
        // Test runners live in the build directory next to the bundle, one level up from the .xctest bundle.
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName).path)
        for candidate in candidates {
            let folder = candidate + "/" + folderName
            if FileManager.default.fileExists(atPath: folder + "/embeddings.bin") { return folder }
        }
        return nil
    }
}
