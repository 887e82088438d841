// `mcp-gateway doctor`'s fixes for the common first-run failures, and its table.

import Testing
@testable import MCPGatewayCLI

@Suite struct DoctorHintsTests {
    @Test func aMissingProgramSaysToInstallIt() {
        let hint = DoctorHints.hint(error: "cannot run 'mcp-server-nope': No such file or directory", transport: "stdio", stderr: [])
        #expect(hint?.contains("not installed") == true)
    }

    @Test func remoteFailuresNameTheirCause() {
        #expect(DoctorHints.hint(error: "connection refused (127.0.0.1:9)", transport: "http", stderr: [])?.contains("nothing listens") == true)
        #expect(DoctorHints.hint(error: "HTTP 401 from the server", transport: "streamable_http", stderr: [])?.contains("credentials") == true)
        #expect(DoctorHints.hint(error: "timed out after 5s", transport: "sse", stderr: [])?.contains("timeout") == true)
    }

    @Test func aServerThatCrashesPointsAtItsStderr() {
        let hint = DoctorHints.hint(error: "process exited with status 1", transport: "stdio",
                                    stderr: ["Traceback", "ModuleNotFoundError: No module named 'mcp'"])
        #expect(hint?.contains("dependencies") == true)
    }

    @Test func theTableLinesUpItsColumns() {
        var ok = DoctorCommand.Row(name: "time")
        ok.transport = "stdio"
        ok.era = "2025-06-18"
        ok.tools = "2"
        ok.startMilliseconds = 412
        var bad = DoctorCommand.Row(name: "a-much-longer-name")
        bad.transport = "http"
        bad.problem = "connection refused"
        let lines = DoctorCommand.table([ok, bad]).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("time                "))
        #expect(lines[1].contains("412 ms") && lines[1].hasSuffix("ok"))
        #expect(lines[2].hasSuffix("FAILED"))
        let column = lines[0].range(of: "transport")?.lowerBound.utf16Offset(in: lines[0])
        #expect(lines[2].range(of: "http")?.lowerBound.utf16Offset(in: lines[2]) == column)
    }
}
