// The backend supervisor (`Backend`) over small shell-script servers on stdio, so the order of
// their lines is exact: the tool-list cache against a server that answers concurrently (a
// `list_changed` that overtakes a stale answer leads to a new list), a 2026-07-28 server's
// listen stream acknowledged before any request, a log level chosen during a start on every
// first request, and a backend that keeps failing to start (bounded errors, state failed).

import AsyncHTTPClient
import Foundation
import GatewayBackends
import GatewayConfig
import Logging
import Synchronization
import Testing

@Suite struct BackendToolsRefreshTests {
    /// Answers `initialize`; the first `tools/list` gets `list_changed` first and, a moment
    /// later, the old list; every later `tools/list` gets the new one.
    static let script = #"""
    n=0
    while IFS= read -r line; do
      id=$(printf '%s\n' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
      case "$line" in
        *'"method":"initialize"'*)
          printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"racy","version":"1"}}}\n' "$id" ;;
        *'"method":"tools/list"'*)
          n=$((n+1))
          if [ "$n" -eq 1 ]; then
            printf '{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}\n'
            sleep 0.3
            printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"old","inputSchema":{"type":"object"}}]}}\n' "$id"
          else
            printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"old","inputSchema":{"type":"object"}},{"name":"added","inputSchema":{"type":"object"}}]}}\n' "$id"
          fi ;;
        *'"id":'*)
          printf '{"jsonrpc":"2.0","id":%s,"result":{}}\n' "$id" ;;
      esac
    done
    """#

    @Test func aListChangedThatOvertakesAStaleAnswerLeadsToANewList() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tools-refresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("server.sh").path
        try Self.script.write(toFile: path, atomically: true, encoding: .utf8)

        let changes = Mutex(0)
        let settings = BackendSettings(name: "racy", transport: .stdio(command: ["/bin/sh", path]),
                                       timeout: .seconds(10), protocolVersion: .handshake("2025-06-18"))
        let backend = Backend(settings: settings, httpClient: HTTPClient.shared, cacheTTL: .seconds(3600),
                              logger: Logger(label: "test"), onToolsChanged: { _ in changes.withLock { $0 += 1 } })
        let first = try await backend.listTools()
        #expect(first.map(\.name) == ["old"])
        // The cache TTL is an hour: only the refresh the notification caused can change it.
        let deadline = ContinuousClock.now + .seconds(10)
        var names = first.map(\.name)
        while names != ["old", "added"], ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            names = try await backend.listTools().map(\.name)
        }
        #expect(names == ["old", "added"])
        #expect(changes.withLock { $0 } == 2)
        await backend.stop()
    }

    /// A 2026-07-28 server that acknowledges its listen stream late (from a background
    /// subshell) and records, in order, the acknowledgement and every other request it reads.
    static let modernScript = #"""
    record="$1"
    while IFS= read -r line; do
      id=$(printf '%s\n' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
      case "$line" in
        *'"method":"server/discover"'*)
          printf '{"jsonrpc":"2.0","id":%s,"result":{"supportedVersions":["2026-07-28"],"capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"late","version":"1"}}}\n' "$id" ;;
        *'"method":"subscriptions/listen"'*)
          ( sleep 0.4; echo ack >> "$record"; printf '{"jsonrpc":"2.0","method":"notifications/subscriptions/acknowledged","params":{"notifications":{"toolsListChanged":true}}}\n' ) & ;;
        *'"method":"tools/list"'*)
          case "$line" in *'"io.modelcontextprotocol/logLevel":"info"'*) echo tools/list+level >> "$record" ;; *) echo tools/list >> "$record" ;; esac
          printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"only","inputSchema":{"type":"object"}}]}}\n' "$id" ;;
        *'"id":'*)
          case "$line" in *'"io.modelcontextprotocol/logLevel":"info"'*) echo other+level >> "$record" ;; *) echo other >> "$record" ;; esac
          printf '{"jsonrpc":"2.0","id":%s,"result":{}}\n' "$id" ;;
      esac
    done
    """#

    /// A `Backend` for `modernScript` (2026-07-28, stdio), with the file its server records to.
    static func withModernBackend(_ body: (Backend, String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modern-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("server.sh").path
        let record = dir.appendingPathComponent("record.txt").path
        try modernScript.write(toFile: path, atomically: true, encoding: .utf8)
        let settings = BackendSettings(name: "late", transport: .stdio(command: ["/bin/sh", path, record]),
                                       timeout: .seconds(10), protocolVersion: .modern)
        let backend = Backend(settings: settings, httpClient: HTTPClient.shared, cacheTTL: .seconds(3600),
                              logger: Logger(label: "test"), onToolsChanged: { _ in })
        try await body(backend, record)
        await backend.stop()
    }

    @Test func noRequestReachesAModernBackendBeforeItListens() async throws {
        try await Self.withModernBackend { backend, record in
            #expect(try await backend.listTools().map(\.name) == ["only"])
            let order = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
            #expect(order == ["ack", "tools/list"])
        }
    }

    @Test func aLogLevelChosenWhileTheBackendStartsIsOnEveryFirstRequest() async throws {
        try await Self.withModernBackend { backend, record in
            // The start waits 0.4 s for the listen acknowledgement: the level comes meanwhile, and a
            // second caller waits on the same start.
            async let listed = backend.listTools()
            try await Task.sleep(for: .milliseconds(100))
            await backend.setLogLevel("info")
            async let called = backend.request(method: "tools/call", params: Array(#"{"name":"only","arguments":{}}"#.utf8)[...])
            _ = try await (listed, called)
            let order = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
            #expect(order.first == "ack")
            #expect(Set(order.dropFirst()) == ["tools/list+level", "other+level"])
        }
    }
}

/// A backend that keeps failing to start: its error stays its own (it used to nest every
/// earlier refusal: "unreachable: … last error: unreachable: … last error: …") and its state
/// says failed, not starting.
@Suite struct BackendStartFailureTests {
    @Test func errorsStayBoundedAndTheStateSaysFailed() async {
        let settings = BackendSettings(name: "broken", transport: .stdio(command: ["/bin/sh", "-c", "echo not-mcp; exit 3"]),
                                       timeout: .seconds(5), protocolVersion: .handshake("2025-06-18"))
        let backend = Backend(settings: settings, httpClient: HTTPClient.shared, cacheTTL: .seconds(3600),
                              logger: Logger(label: "test"), onToolsChanged: { _ in })
        var refusals: [String] = []
        for _ in 0..<6 {
            do {
                _ = try await backend.listTools()
                Issue.record("a backend that exits at once listed tools")
            } catch {
                refusals.append(error.description)
            }
        }
        let status = await backend.status()
        #expect(status.state == .failed)
        let lastError = status.lastError ?? ""
        #expect(!lastError.isEmpty && !lastError.contains("last error:"))
        // Refused during the back-off: the start's own error, quoted once.
        let backedOff = refusals.filter { $0.contains("not restarted yet") }
        #expect(!backedOff.isEmpty)
        for refusal in backedOff {
            #expect(refusal.components(separatedBy: "last error:").count == 2, "\(refusal)")
            #expect(refusal.count < 400)
        }
        await backend.stop()
    }
}
