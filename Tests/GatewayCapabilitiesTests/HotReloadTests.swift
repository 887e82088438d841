// Hot reload: adding, changing and removing a file updates the catalog and tells listeners; a broken file
// is reported with its path and line while every other capability keeps working. Also measures the
// time from a file write to the tool being listed (target: well under 500 ms).

import LoopbackTestServer
import Foundation
import GatewayCapabilities
import Synchronization
import Testing

@Suite struct HotReloadTests {
    static func file(_ name: String, description: String = "A capability.") -> String {
        """
        name: \(name)
        description: \(description)
        providers:
          primary:
            config: {base_url: "https://api.example.com", path: /\(name)}
        """
    }

    /// Waits until `condition` holds (checking every 5 ms), returning how long it took; nil after 3 s.
    func waitFor(_ condition: () -> Bool) async -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(10) {
            if condition() { return ContinuousClock.now - start }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    @Test func addChangeBreakAndDeleteFiles() async throws {
        let server = try await LoopbackServer { request in .json("{\"path\":\"\(request.path)\"}") }
        defer { Task { await server.stop() } }
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("first.yaml", Self.file("first"))
        let changes = Mutex(0)
        var settings = testSettings(directories: [directory.path], originOverrides: ["https://api.example.com": server.origin])
        settings.pollInterval = .milliseconds(100)
        try await withCatalog(settings) { catalog in
            catalog.onChange { changes.withLock { $0 += 1 } }
            #expect(catalog.tools.map(\.name) == ["first"])

            try directory.write("nested/second.yaml", Self.file("second"))
            let added = await waitFor { catalog.tools.map(\.name) == ["first", "second"] }
            #expect(added != nil)
            #expect(changes.withLock { $0 } == 1)

            try directory.write("nested/second.yaml", Self.file("second", description: "Changed."))
            #expect(await waitFor { catalog.definition(named: "second")?.description == "Changed." } != nil)

            try directory.write("broken.yaml", "name: broken\ndescription: Broken.\nproviders:\n  primary:\n    config: {base_url: https://a.example, metod: GET}\n")
            #expect(await waitFor { !catalog.problems.isEmpty } != nil)
            let problem = try #require(catalog.problems.first)
            #expect(problem.path == directory.path + "/broken.yaml")
            #expect(problem.line == 5)
            #expect(problem.message == "unknown key 'metod' in 'providers.primary.config'; did you mean 'method'?")
            #expect(catalog.tools.map(\.name) == ["first", "second"])
            let stillWorks = CallOutcome(await catalog.call(tool: "second", arguments: []))
            #expect(stillWorks.structured == ["path": "/second"])

            try directory.remove("nested/second.yaml")
            #expect(await waitFor { catalog.tools.map(\.name) == ["first"] } != nil)
            #expect(await catalog.call(tool: "second", arguments: []) == .unknownTool)

            try directory.write("broken.yaml", Self.file("fixed"))
            #expect(await waitFor { catalog.problems.isEmpty && catalog.tools.count == 2 } != nil)
            #expect(changes.withLock { $0 } == 5)
        }
    }

    @Test func aMissingDirectoryIsReportedAndPickedUpWhenCreated() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let missing = directory.path + "/later"
        try await withCatalog(testSettings(directories: [missing])) { catalog in
            #expect(catalog.problems.map(\.description) == ["\(missing): warning: the capability directory does not exist"])
            try directory.write("later/one.yaml", Self.file("one"))
            #expect(await waitFor { catalog.tools.map(\.name) == ["one"] } != nil)
            #expect(catalog.problems.isEmpty)
        }
    }

    @Test func duplicateNamesAreReportedAndTheFirstWins() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("a.yaml", Self.file("same", description: "First."))
        try directory.write("b.yaml", Self.file("same", description: "Second."))
        try await withCatalog(testSettings(directories: [directory.path])) { catalog in
            #expect(catalog.tools.map(\.description) == ["First."])
            #expect(catalog.problems.map(\.message) == [
                "duplicate capability name 'same' (already defined in \(directory.path)/a.yaml:1); this file is ignored",
            ])
        }
    }

    @Test func configuredFilesOverrideTheStarterPack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("mine.yaml", Self.file("hn_top_stories", description: "My own."))
        try await withCatalog(testSettings(directories: [directory.path], starterPack: true)) { catalog in
            #expect(catalog.definition(named: "hn_top_stories")?.description == "My own.")
            #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        }
    }

    /// Write-to-listed latency with the default 100 ms poll, timed by the change listener (which runs right
    /// after the new catalog is in place) so that the test's own scheduling is not counted. The median is
    /// asserted; the maximum is printed for BENCHMARKS.md (it depends on what else the machine is doing).
    @Test func newToolIsListedWellUnder500Milliseconds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        var settings = testSettings(directories: [directory.path])
        settings.pollInterval = CapabilitySettings().pollInterval
        let appliedAt = Mutex<ContinuousClock.Instant?>(nil)
        var samples: [Duration] = []
        try await withCatalog(settings) { catalog in
            catalog.onChange { appliedAt.withLock { $0 = ContinuousClock.now } }
            for index in 0..<10 {
                try? await Task.sleep(for: .milliseconds(Int.random(in: 0...100)))
                appliedAt.withLock { $0 = nil }
                let written = ContinuousClock.now
                try directory.write("tool\(index).yaml", Self.file("tool\(index)"))
                #expect(await waitFor { catalog.definition(named: "tool\(index)") != nil } != nil)
                if let applied = appliedAt.withLock({ $0 }) { samples.append(applied - written) }
            }
        }
        let sorted = samples.sorted()
        let milliseconds = { (duration: Duration) in Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000 }
        let median = sorted.isEmpty ? .seconds(1) : sorted[sorted.count / 2]
        print("capability hot reload, write to listed: median \(milliseconds(median)) ms, max \(milliseconds(sorted.last ?? .zero)) ms over \(sorted.count) writes")
        #expect(sorted.count == 10)
        // The target is 500 ms (BENCHMARKS.md reports the figure); the bound leaves room for loaded CI machines.
        #expect(median < .milliseconds(1500))
    }
}
