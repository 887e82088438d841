// swift-tools-version:6.2
// MCP Gateway: one MCP endpoint in front of many MCP servers.
// Targets are split by concern; dependencies point downward:
// MCPProtocol <- ToolSearch, GatewayConfig <- GatewayAuth, GatewayBackends <- GatewayGovernance <- GatewayCore
// (GatewayTelemetry, on MCPProtocol, and GatewayProfiles, on GRDB, under GatewayCore)
// <- GatewayServer <- mcp-gateway.
import PackageDescription
import Foundation

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "mcp-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mcp-gateway", targets: ["MCPGatewayCLI"]),
        .executable(name: "bench-backend", targets: ["BenchBackend"]),
        .executable(name: "gateway-bench", targets: ["GatewayBench"]),
        .executable(name: "redaction-bench", targets: ["RedactionBench"]),
        .executable(name: "search-tune", targets: ["SearchTune"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already in the graph through Hummingbird; named for its HTTPTypes codec type, which
        // PlainPostHandler is placed in front of.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // AES-GCM and SHA-256 for the sealed 2026-07-28 requestState.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // WebSocket backends (client) and the `/ws` front end (server upgrade).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        // OpenAPI import (`cap import`); the external-loading trait is not needed and slows the build.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
        // OAuth 2.1 resource server: JWT signatures and JWKS (GatewayAuth).
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        // TLS and client certificates on the front end.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already in the graph through jwt-kit; named for X509, which reads a client certificate's
        // subject and SANs (GatewayAuth's ClientCertificateNamer).
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        // `/metrics`: Prometheus counters, gauges and histograms and their text exposition.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Persisted tool profiles: SQLite (the system library) through GRDB.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // Traces: the tracing API the gateway's code writes spans to (GatewayTracing)...
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // ...and the OpenTelemetry SDK that exports them over OTLP/HTTP (GatewayServer starts it
        // when `telemetry.otlp` names an endpoint). The gRPC exporter's trait is left off: it
        // brings grpc-swift and its HTTP/2 stack into every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP", "OTLPGRPC"]),
        // The dashboard's server-rendered pages (GatewayDashboard).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Codex keeps its MCP servers in TOML (`mcp-gateway import --from codex`).
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        // The state several instances share (issue 21): PostgreSQL.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "MCPProtocol", swiftSettings: strict),
        // The cluster's AES-GCM key ring (sealed session ids).
        // The cluster database (PostgreSQL): schema migrations and the shared state.
        .target(name: "GatewayStore", dependencies: [
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // What links the server to the cluster database (shared session endings, ...).
        .target(name: "GatewayCluster", dependencies: [
            "GatewayServer", "GatewayStore", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "GatewaySealing", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(name: "CProcessSpawn"),
        // The static embedding table for semantic search (scripts/search-model/distill.py), found
        // by hand next to the executable like the starter pack (SearchModelLocation).
        .target(name: "CSearchKernels"),
        .target(name: "GatewayImport", dependencies: ["MCPProtocol", .product(name: "TOMLKit", package: "TOMLKit")],
                swiftSettings: strict),
        .target(name: "ToolSearch", dependencies: ["CSearchKernels"], resources: [.copy("Resources/SearchModel")],
                swiftSettings: strict),
        .target(
            name: "GatewayTelemetry",
            dependencies: ["MCPProtocol", .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: strict
        ),
        // Spans per request, search, policy and backend exchange, and the W3C trace context
        // taken from clients and passed on to backends; written to the Tracing API only.
        .target(
            name: "GatewayTracing",
            dependencies: ["MCPProtocol", .product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayProfiles",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayConfig",
            // NIOSSL: the `mtls:` files are loaded at config load, as the server will load them.
            // MCPProtocol: argument values a backend's `arguments:` fixes are JSON values.
            dependencies: ["MCPProtocol", .product(name: "Yams", package: "Yams"), .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayAuth",
            dependencies: [
                "GatewayConfig", "MCPProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // What each principal may do and what it did: scopes, limits, budgets, the audit trail,
        // secret redaction and tool pinning. Pure mechanisms; GatewayCore wires them into its chains.
        .target(
            name: "GatewayGovernance",
            dependencies: [
                "GatewayConfig", "GatewayAuth", "MCPProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayBackends",
            dependencies: [
                "MCPProtocol", "GatewayConfig", "CProcessSpawn",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayCore",
            dependencies: [
                "MCPProtocol", "GatewayConfig", "GatewayAuth", "GatewayBackends", "ToolSearch", "GatewayCapabilities",
                "GatewayGovernance", "GatewayTelemetry", "GatewayProfiles", "GatewayTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // `/ui`: the operator's web dashboard, rendered from the core's state with Mustache
        // templates and assets compiled into the binary; GatewayServer serves it.
        .target(
            name: "GatewayDashboard",
            dependencies: [
                "GatewayCore", "GatewayConfig", "GatewayAuth", "GatewayBackends", "GatewayGovernance", "GatewayTelemetry",
                "GatewayProfiles", "MCPProtocol",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayServer",
            dependencies: [
                "MCPProtocol", "GatewayConfig", "GatewayAuth", "GatewayBackends", "ToolSearch", "GatewayCore",
                "GatewayGovernance", "GatewayTelemetry", "GatewayTracing", "GatewayDashboard", "GatewaySealing",
                // HMAC for the dashboard's CSRF tokens.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // SIGHUP reloads the config (ConfigReloadService).
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "GatewayCapabilities",
            dependencies: [
                "MCPProtocol", "GatewayConfig",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
            ],
            resources: [.copy("StarterPack")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "MCPGatewayCLI",
            dependencies: [
                "MCPProtocol", "GatewayServer", "GatewayCapabilities", "GatewayCore", "GatewayConfig", "GatewayAuth",
                "GatewayGovernance", "GatewayProfiles", "GatewayImport", "GatewayBackends", "GatewaySealing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks: a fast MCP backend and a load generator (see Benchmarks/README.md).
        .executableTarget(
            name: "BenchBackend",
            dependencies: [
                "MCPProtocol", "GatewayBackends",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/BenchBackend",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "GatewayBench",
            dependencies: [
                "MCPProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/GatewayBench",
            swiftSettings: strict
        ),
        // Search quality of ranking settings, in process (the tuning loop; docs/search.md).
        .executableTarget(
            name: "SearchTune",
            dependencies: [
                "GatewayCore", "GatewayCapabilities", "GatewayConfig", "ToolSearch", "MCPProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/SearchTune",
            swiftSettings: strict
        ),
        // Secret redaction: µs per 10 KB and false positives on a corpus of real tool outputs.
        .executableTarget(
            name: "RedactionBench",
            dependencies: ["GatewayGovernance"],
            path: "Benchmarks/RedactionBench",
            swiftSettings: strict
        ),
        // Test support shared by test targets: an HTTP server on 127.0.0.1 that records requests.
        .target(
            name: "LoopbackTestServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/Support/LoopbackTestServer",
            swiftSettings: strict
        ),
        .testTarget(name: "MCPProtocolTests", dependencies: ["MCPProtocol"], swiftSettings: strict),
        .testTarget(name: "GatewayStoreTests", dependencies: [
            "GatewayStore", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewaySealingTests", dependencies: ["GatewaySealing"], swiftSettings: strict),
        .testTarget(name: "GatewayImportTests", dependencies: ["GatewayImport", "GatewayConfig"], swiftSettings: strict),
        .testTarget(name: "ToolSearchTests", dependencies: [
            // SHA-256 of the committed search model, checked against the distillation's manifest.
            "ToolSearch", "CSearchKernels", .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewayTelemetryTests", dependencies: ["GatewayTelemetry"], swiftSettings: strict),
        .testTarget(name: "GatewayTracingTests", dependencies: [
            "GatewayTracing", "MCPProtocol",
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewayProfilesTests", dependencies: [
            "GatewayProfiles", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewayConfigTests", dependencies: [
            "GatewayConfig", "MCPProtocol", .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewayGovernanceTests", dependencies: [
            "GatewayGovernance", "GatewayConfig", "GatewayAuth", "MCPProtocol",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewayAuthTests", dependencies: [
            "GatewayAuth", "GatewayConfig", "LoopbackTestServer",
            .product(name: "Crypto", package: "swift-crypto"),
            // RSA key generation for the test issuer's keys.
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(
            name: "GatewayCapabilitiesTests",
            dependencies: [
                "GatewayCapabilities", "GatewayConfig", "MCPProtocol", "LoopbackTestServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "MCPGatewayCLITests", dependencies: [
            "MCPGatewayCLI", "GatewaySealing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .testTarget(name: "GatewayCoreTests", dependencies: [
            "GatewayCore", "GatewayServer", "GatewayBackends", "MCPProtocol", "GatewayAuth", "GatewayConfig", "GatewayGovernance",
            "GatewayTracing", "GatewaySealing", "GatewayStore", "GatewayCluster",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

// ---- Fuzz targets (issue 17): only with MCP_GATEWAY_FUZZ=1, so that a plain `swift build`
// neither builds nor links them (their entry point is libFuzzer's main). Built and run by
// scripts/fuzz.sh with -sanitize=fuzzer,address; see docs/reliability.md.
if ProcessInfo.processInfo.environment["MCP_GATEWAY_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzJSON", ["MCPProtocol"]),
        ("FuzzJSONRPC", ["MCPProtocol", "GatewayCore"]),
        ("FuzzSSE", ["MCPProtocol"]),
        ("FuzzHeaders", ["MCPProtocol", "GatewayBackends", "GatewayServer"]),
        ("FuzzConfig", ["GatewayConfig"]),
        ("FuzzCapabilities", ["GatewayCapabilities", "MCPProtocol"]),
    ]
    package.targets.append(.target(name: "CFuzzDriver", path: "Sources/Fuzz/CFuzzDriver"))
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Sources/Fuzz/FuzzSupport", swiftSettings: strict))
    for fuzz in fuzzTargets {
        package.products.append(.executable(name: fuzz.name, targets: [fuzz.name]))
        package.targets.append(.executableTarget(
            name: fuzz.name, dependencies: ["FuzzSupport"] + fuzz.dependencies, path: "Sources/Fuzz/\(fuzz.name)",
            swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])]
        ))
    }
}
// ---- End of fuzz targets.
