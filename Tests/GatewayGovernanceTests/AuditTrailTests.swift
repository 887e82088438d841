// The trail's writer: lines reach the file whole, files are created 0600, rotate by size and
// keep `keep` old files; a full buffer drops lines (counted) instead of making calls wait;
// close() writes everything queued.

import Foundation
import GatewayConfig
import GatewayGovernance
import Testing

@Suite struct AuditTrailTests {
    private func scratchDirectory() -> String {
        let path = NSTemporaryDirectory() + "audit-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func lines(of path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    private func event(_ index: Int) -> AuditEvent {
        AuditLineTests.event(target: .tool("tool_\(index)"))
    }

    @Test func writesLinesToANewFileReadableByItsOwnerOnly() async throws {
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path)))
        for index in 0..<3 { #expect(trail.record(event(index))) }
        await trail.flush()
        let written = lines(of: path)
        #expect(written.count == 3)
        #expect(written.allSatisfy { $0.hasPrefix("{\"time\":") && $0.hasSuffix("}") })
        #expect(written[2].contains("\"tool\":\"tool_2\""))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        await trail.close()
        #expect(trail.state == AuditTrail.State(destination: path, written: 3, dropped: 0, failed: 0, lastError: nil))
        // Closed: later events are dropped and counted, never written.
        #expect(!trail.record(event(9)))
        #expect(trail.state.dropped == 1)
    }

    @Test func rotatesBySizeAndKeepsKeepFiles() async throws {
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let lineSize = AuditLine.encode(event(10)).count
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path), maxSize: lineSize * 3 + 10, keep: 2))
        for index in 10..<30 { trail.record(event(index)) }
        await trail.close()
        #expect(trail.state.written == 20)
        #expect(AuditFiles.paths(of: path) == [path + ".2", path + ".1", path])
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        var seen: [String] = []
        for file in AuditFiles.paths(of: path) {
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            #expect(size <= lineSize * 3 + 10)
            seen += lines(of: file)
        }
        // The newest lines survive, in order, whole: 20 lines at 3 a file leave 2 in `path`, 3 in each of 2 old files.
        #expect(seen.count == 8)
        #expect(seen.first?.contains("\"tool\":\"tool_22\"") == true)
        #expect(seen.last?.contains("\"tool\":\"tool_29\"") == true)
    }

    @Test func aFileMovedAwayIsLetGoAndANewOneStarted() async throws {
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path)))
        trail.record(event(1))
        await trail.flush()
        // What logrotate does without copytruncate.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".old")
        trail.record(event(2))
        await trail.close()
        #expect(lines(of: path + ".old").count == 1)
        #expect(lines(of: path).count == 1)
        #expect(lines(of: path).first?.contains("\"tool\":\"tool_2\"") == true)
    }

    @Test func keepZeroKeepsNoOldFile() async {
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let lineSize = AuditLine.encode(event(10)).count
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path), maxSize: lineSize * 2, keep: 0))
        for index in 10..<15 { trail.record(event(index)) }
        await trail.close()
        #expect(AuditFiles.paths(of: path) == [path])
        #expect(lines(of: path).count == 1)
    }

    @Test func appendsToAnExistingFileAndCountsItsSize() async {
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.jsonl"
        let lineSize = AuditLine.encode(event(10)).count
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: UInt8(ascii: "x"), count: lineSize * 2 - 1) + Data("\n".utf8)))
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path), maxSize: lineSize * 3, keep: 1))
        trail.record(event(1))
        trail.record(event(2))
        await trail.close()
        // The first line fits beside the old content; the second goes to a fresh file.
        #expect(lines(of: path + ".1").count == 2)
        #expect(lines(of: path).count == 1)
    }

    /// The writer is held in `open(2)` of a FIFO nobody reads yet: the buffer (2 events) fills
    /// and the rest are dropped, counted, without `record` ever waiting.
    @Test func aFullBufferDropsAndCounts() async throws {
        let directory = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let trail = AuditTrail(settings: AuditSettings(destination: .file(path)), capacity: 2)
        let started = ContinuousClock.now
        var accepted = 0
        for index in 0..<100 where trail.record(event(index)) { accepted += 1 }
        #expect(ContinuousClock.now - started < .seconds(1))
        // At most one batch held by the writer plus a full buffer.
        #expect(accepted <= 4)
        #expect(trail.state.dropped == 100 - accepted)
        let reader = open(path, O_RDONLY)
        #expect(reader >= 0)
        await trail.close()
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += chunk[0..<count]
        }
        close(reader)
        #expect(received.filter { $0 == UInt8(ascii: "\n") }.count == accepted)
        #expect(trail.state.written == accepted)
    }

    @Test func writeErrorsAreCountedAndReported() async {
        let trail = AuditTrail(settings: AuditSettings(destination: .file("/nonexistent-audit-dir/audit.jsonl")))
        trail.record(event(1))
        await trail.close()
        #expect(trail.state.written == 0)
        #expect(trail.state.failed == 1)
        #expect(trail.state.lastError?.contains("/nonexistent-audit-dir/audit.jsonl") == true)
    }

    @Test func includeArgumentsPatterns() {
        let rules = AuditArgumentRules(patterns: ["fs:write_*", "echo"])
        #expect(rules.includes(server: "fs", tool: "write_file"))
        #expect(!rules.includes(server: "other", tool: "write_file"))
        #expect(rules.includes(server: "anything", tool: "echo"))
        #expect(!rules.includes(server: "fs", tool: "read_file"))
    }

    @Test func queryFilter() {
        let line = AuditLine.encode(AuditLineTests.event(outcome: .refused(outcome: "denied", rule: "r")))
        let match = { (filter: AuditRecordFilter) in filter.matching(line.dropLast()) != nil }
        #expect(match(AuditRecordFilter()))
        #expect(match(AuditRecordFilter(principal: "alice", tool: "fs:ec*", server: "fs", outcome: "denied")))
        #expect(match(AuditRecordFilter(tool: "echo")))
        #expect(!match(AuditRecordFilter(principal: "bob")))
        #expect(!match(AuditRecordFilter(tool: "other:echo")))
        #expect(!match(AuditRecordFilter(outcome: "ok")))
        #expect(match(AuditRecordFilter(since: 1_796_000_000_000)))
        #expect(!match(AuditRecordFilter(since: 1_796_000_001_000)))
        let hourAgo = AuditRecordFilter.parseSince("1h", now: 10_000_000)
        #expect(hourAgo == Int64(6_400_000))
        #expect(AuditRecordFilter.parseSince("90s", now: 100_000) == Int64(10_000))
        #expect(AuditRecordFilter.parseSince("2026-11-30T00:53:20.123Z", now: 0) == 1_796_000_000_123)
        #expect(AuditRecordFilter.parseSince("soon", now: 0) == nil)
    }
}
