// Finding 10: a capability reads only the environment variables and files the operator's config allows
// for its directory. Anything else is a load error with the file, line and the variable or path, and the
// capability is not served; allowed secrets are sent as before.

import Foundation
import GatewayCapabilities
import GatewayConfig
import MCPProtocol
import Testing

@Suite struct SecretPolicyTests {
    static func file(key: String, header: String = "{env.APP_ID}") -> String {
        """
        name: reader
        description: Reads a secret.
        auth:
          type: bearer
          key: \(key)
        providers:
          primary:
            config:
              base_url: https://api.example.com
              path: /items
              headers:
                X-App: "\(header)"
        """
    }

    func load(_ yaml: String, _ directory: CapabilityDirectory, environment: [String: String] = [:]) async throws
        -> CapabilityCatalog.Snapshot {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        try folder.write("reader.yaml", yaml)
        var placed = directory
        placed.path = folder.path
        let settings = CapabilitySettings(directories: [placed], includeStarterPack: false, environment: environment)
        return try await withCatalog(settings) { catalog in
            CapabilityCatalog.Snapshot(tools: catalog.tools.map(\.name), problems: catalog.problems)
        }
    }

    @Test func unlistedEnvironmentVariablesAreLoadErrorsWithTheLine() async throws {
        let loaded = try await load(Self.file(key: "env:GITHUB_TOKEN"), CapabilityDirectory(path: ""),
                                    environment: ["GITHUB_TOKEN": "ghp_x", "APP_ID": "7"])
        #expect(loaded.tools.isEmpty)
        let problems = loaded.problems.filter(\.isError)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.line == 5 && problems.first?.keyPath == "auth.key")
        #expect(problems.first?.message.contains("'GITHUB_TOKEN'") == true)
        #expect(problems.first?.path.hasSuffix("reader.yaml") == true)
        #expect(problems.last?.line == 12 && problems.last?.message.contains("'APP_ID'") == true, "\(problems)")
    }

    @Test func listedEnvironmentVariablesLoad() async throws {
        let loaded = try await load(Self.file(key: "env:GITHUB_TOKEN"),
                                    CapabilityDirectory(path: "", allowEnv: ["GITHUB_TOKEN", "APP_ID"]))
        #expect(loaded.tools == ["reader"])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
    }

    @Test func oneUnlistedVariableIsEnough() async throws {
        let loaded = try await load(Self.file(key: "env:GITHUB_TOKEN"), CapabilityDirectory(path: "", allowEnv: ["GITHUB_TOKEN"]))
        #expect(loaded.tools.isEmpty)
        #expect(loaded.problems.filter(\.isError).map(\.line) == [12])
    }

    @Test(arguments: [
        ("file:/etc/gcloud/credentials.json:refresh_token", [String](), false),
        ("file:/etc/gcloud/credentials.json:refresh_token", ["/etc/gcloud/credentials.json"], true),
        ("file:/etc/gcloud/credentials.json", ["/etc/gcloud/"], true),
        ("file:/etc/gcloud/../passwd", ["/etc/gcloud/"], false),
        ("file:/etc/gcloud/credentials.json.bak", ["/etc/gcloud/credentials.json"], false),
        ("file:~/.config/token", ["/home/u/.config/token"], true),
        ("file:~/.config/token", ["/home/other/.config/token"], false),
    ])
    func filesMustBeListed(_ key: String, _ allowed: [String], _ loads: Bool) async throws {
        let loaded = try await load(Self.file(key: key, header: "fixed"),
                                    CapabilityDirectory(path: "", allowFiles: allowed), environment: ["HOME": "/home/u"])
        #expect(loaded.tools == (loads ? ["reader"] : []), "\(loaded.problems)")
        if !loads {
            #expect(loaded.problems.first?.line == 5)
            #expect(loaded.problems.first?.message.contains("reads file") == true, "\(loaded.problems)")
        }
    }

    /// A relative `file:` is relative to the capability file, so it is checked as that absolute path.
    @Test func relativeFilesAreCheckedWhereTheyPoint() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.cleanup() }
        try folder.write("reader.yaml", Self.file(key: "file:token.txt", header: "fixed"))
        for (allowed, loads) in [([folder.path + "/token.txt"], true), (["token.txt"], false)] {
            let settings = CapabilitySettings(directories: [CapabilityDirectory(path: folder.path, allowFiles: allowed)],
                                              includeStarterPack: false, environment: [:])
            let tools = try await withCatalog(settings) { $0.tools.map(\.name) }
            #expect(tools == (loads ? ["reader"] : []))
        }
    }

    /// From gateway.yaml: `directories` entries as a path (no secrets) or a mapping with allow-lists.
    @Test func settingsFromTheConfig() throws {
        let result = ConfigLoader.parse(yaml: """
            capabilities:
              directories:
                - plain
                - path: private
                  allow_env: [GITHUB_TOKEN]
                  allow_files: [secrets/token.txt, "~/tokens/"]
              starter_pack_allow_env: [GITHUB_TOKEN]
            """, file: "/etc/gw/gateway.yaml", environment: ["HOME": "/home/u"])
        let config = try #require(result.config, "\(result.diagnostics)")
        let settings = CapabilitySettings(config: config, environment: [:])
        #expect(settings.directories == [
            CapabilityDirectory(path: "/etc/gw/plain"),
            CapabilityDirectory(path: "/etc/gw/private", allowEnv: ["GITHUB_TOKEN"],
                                allowFiles: ["/etc/gw/secrets/token.txt", "/home/u/tokens/"]),
        ])
        #expect(settings.starterPackAllowEnv == ["GITHUB_TOKEN"])
    }
}

extension CapabilityCatalog {
    /// What a test looks at after loading.
    struct Snapshot {
        var tools: [String]
        var problems: [CapabilityProblem]
    }
}
