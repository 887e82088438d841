// `audit:`: path (a file taken from the config's directory, stdout or stderr), max_size, keep,
// include_arguments; each mistake an error at its line.

@testable import GatewayConfig
import Testing

@Suite struct AuditSectionTests {
    @Test func noSectionNoTrail() {
        #expect(parse("server: {port: 1234}\n").config?.audit == nil)
    }

    @Test func defaultsAndRelativePaths() throws {
        let result = ConfigLoader.parse(yaml: "audit: {path: logs/audit.jsonl}\n", file: "/etc/gw/gateway.yaml", environment: [:])
        let audit = try #require(result.config?.audit)
        #expect(audit == AuditSettings(destination: .file("/etc/gw/logs/audit.jsonl"), maxSize: 100 * 1024 * 1024, keep: 5))
        let home = ConfigLoader.parse(yaml: "audit: {path: ~/audit.jsonl}\n", file: "/etc/gw/gateway.yaml", environment: ["HOME": "/home/ada"])
        #expect(home.config?.audit?.destination == .file("/home/ada/audit.jsonl"))
    }

    @Test func everyKey() throws {
        let audit = try #require(parse("""
            audit:
              path: /var/log/mcp/audit.jsonl
              max_size: 10MiB
              keep: 0
              include_arguments: ["github:create_*", echo]
            """).config?.audit)
        #expect(audit == AuditSettings(destination: .file("/var/log/mcp/audit.jsonl"), maxSize: 10 * 1024 * 1024, keep: 0,
                                       includeArguments: ["github:create_*", "echo"]))
        #expect(parse("audit: {path: stdout}\n").config?.audit?.destination == .stdout)
        #expect(parse("audit: {path: stderr}\n").config?.audit?.destination == .stderr)
    }

    @Test func mistakes() {
        let missing = parse("audit:\n  keep: 3\n")
        #expect(missing.singleError?.message == "'audit' needs 'path': a file (rotated by size), 'stdout' or 'stderr'")
        #expect(missing.singleError?.line == 2)
        #expect(parse("audit:\n  path: a.jsonl\n  keep: 1001\n").error(at: "audit.keep")?.line == 3)
        #expect(parse("audit:\n  path: a.jsonl\n  max_size: 100\n").error(at: "audit.max_size")?.message
            == "expected a size from 4KiB to 1TiB for 'audit.max_size', found 100 bytes")
        #expect(parse("audit:\n  path: logs/\n").error(at: "audit.path") != nil)
        #expect(parse("audit:\n  path: ''\n").error(at: "audit.path") != nil)
        #expect(parse("audit:\n  path: a.jsonl\n  include_arguments: ['  ']\n").error(at: "audit.include_arguments[0]") != nil)
        let typo = parse("audit:\n  path: a.jsonl\n  max_sise: 1MiB\n")
        #expect(typo.singleError?.message == "unknown key 'max_sise' in 'audit'; did you mean 'max_size'?")
        #expect(typo.singleError?.line == 3)
    }
}
