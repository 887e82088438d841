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
        try await withCatalog(testSettings(starterPack: true, allowEnv: ["GITHUB_TOKEN"])) { catalog in
            #expect(catalog.problems.isEmpty, "\(catalog.problems)")
            #expect(catalog.tools.count == Self.files.count)
            #expect(Set(catalog.tools.map(\.name)).count == catalog.tools.count)
        }
    }

    /// Finding 10: a GITHUB_TOKEN in the gateway's environment is not enough; the credentialed tools stay
    /// off (without any problem reported) until the config allows the variable.
    @Test func credentialedToolsAreOffUntilTheirSecretIsAllowed() async throws {
        let credentialed = Self.files.filter { (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("env:") == true }
            .map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        #expect(credentialed.count >= 10 && credentialed.allSatisfy { $0.hasPrefix("github_") }, "\(credentialed)")
        let settings = testSettings(starterPack: true, environment: ["GITHUB_TOKEN": "ghp_in_the_environment"])
        try await withCatalog(settings) { catalog in
            #expect(catalog.problems.isEmpty, "\(catalog.problems)")
            #expect(catalog.tools.count == Self.files.count - credentialed.count)
            for name in credentialed {
                #expect(catalog.definition(named: name) == nil, "\(name) is on")
                #expect(await catalog.call(tool: name, arguments: json("{}")) == .unknownTool)
            }
            #expect(catalog.definition(named: "pypi_package") != nil)
        }
    }
}
