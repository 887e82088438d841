// The catalog cache is read back as tool lists clients see: it must never fall back to a shared
// directory (once the temporary directory when HOME was unset), and is only read from or written to a
// directory of this user that no one else can write.

import Foundation
@testable import GatewayCore
import Logging
import MCPProtocol
import Testing

@Suite struct CatalogCacheDirectoryTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return path
    }

    static func entries() -> [String: CatalogStore.Entry] {
        let tool = ToolDefinition(name: "echo", description: "Echo", inputSchema: RawJSON(Array(#"{"type":"object"}"#.utf8)))
        return ["alpha": CatalogStore.Entry(fingerprint: "f", savedAt: Date(timeIntervalSince1970: 1), tools: [tool])]
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func noHomeMeansNoCache() {
        #expect(CatalogStore.defaultPath(configPath: "/etc/gw.yaml", environment: [:]) == nil)
        #expect(CatalogStore.defaultPath(configPath: nil, environment: ["HOME": ""]) == nil)
        #expect(CatalogStore.defaultPath(configPath: nil, environment: ["HOME": "/home/u"])?.hasPrefix("/home/u/.cache/mcp-gateway/") == true)
        #expect(CatalogStore.defaultPath(configPath: nil, environment: ["XDG_CACHE_HOME": "/x"])?.hasPrefix("/x/mcp-gateway/") == true)
    }

    @Test func savedDirectoryIsPrivateAndReadsBack() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = CatalogStore(path: root + "/a/b/catalog.json", logger: Logger(label: "test"))
        store.save(Self.entries())
        #expect(try Self.mode(root + "/a/b") & 0o777 == 0o700)
        #expect(store.load()["alpha"]?.tools.map(\.name) == ["echo"])
    }

    @Test func worldWritableDirectoryIsNeitherWrittenNorRead() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = CatalogStore(path: root + "/catalog.json", logger: Logger(label: "test"))
        store.save(Self.entries())
        #expect(store.load().count == 1)
        // Someone else could have put the file there: it is not believed, and nothing is written.
        chmod(root, 0o777)
        #expect(store.load().isEmpty)
        try FileManager.default.removeItem(atPath: root + "/catalog.json")
        store.save(Self.entries())
        #expect(!FileManager.default.fileExists(atPath: root + "/catalog.json"))
        chmod(root, 0o770)
        #expect(PrivateDirectory.problem(root) != nil)
    }

    @Test func groupWritableFileIsNotRead() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = CatalogStore(path: root + "/catalog.json", logger: Logger(label: "test"))
        store.save(Self.entries())
        chmod(root + "/catalog.json", 0o666)
        #expect(store.load().isEmpty)
    }

    @Test func symlinkedDirectoryIsRefused() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/real")
        #expect(PrivateDirectory.problem(root + "/link") != nil)
        #expect(PrivateDirectory.problem(root + "/real") == nil)
    }
}
