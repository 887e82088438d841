// The starter pack: every file loads without a problem, uses only executable services, has at least one
// example, and every example produces exactly the request it documents.

import Foundation
import GatewayCapabilities
import Testing

@Suite struct StarterPackTests {
    static let files: [String] = {
        let directory = starterPackDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }()

    @Test func hasAtLeastSeventyCapabilities() {
        #expect(Self.files.count >= 70)
    }

    @Test(arguments: files)
    func fileLoadsAndItsExamplesProduceTheirRequests(_ path: String) throws {
        let result = CapabilityFileLoader.load(path: path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let definition = try #require(result.definition)
        #expect(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent == definition.name)
        #expect(!definition.examples.isEmpty)
        #expect(definition.examples.allSatisfy { $0.url != nil })
        let failures = ExampleChecker.check(definition)
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
        #expect(definition.providers.allSatisfy { $0.baseURL.source.hasPrefix("https://") || $0.baseURL.source.hasPrefix("http://") })
        #expect(definition.metadata.category != nil && !definition.metadata.tags.isEmpty)
    }

    @Test func namesAreUniqueAndTheCatalogLoadsThemAll() async throws {
        try await withCatalog(testSettings(starterPack: true)) { catalog in
            #expect(catalog.problems.isEmpty, "\(catalog.problems)")
            #expect(catalog.tools.count == Self.files.count)
            #expect(Set(catalog.tools.map(\.name)).count == catalog.tools.count)
        }
    }
}
