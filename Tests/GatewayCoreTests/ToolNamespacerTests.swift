// Client-facing tool names: allowed characters only, bounded length, unique, stable.

import Testing
@testable import GatewayCore

@Suite struct ToolNamespacerTests {
    let namespacer = ToolNamespacer()

    @Test func joinsServerAndToolWithDoubleUnderscore() {
        #expect(namespacer.assign([("git", "git_status")]) == ["git__git_status"])
    }

    @Test func replacesDisallowedCharacters() {
        #expect(namespacer.assign([("my.server", "read file/v2")]) == ["my_server__read_file_v2"])
    }

    @Test func longNamesAreTruncatedWithAStableHash() {
        let server = String(repeating: "s", count: 40)
        let tool = String(repeating: "t", count: 40)
        let first = namespacer.assign([(server, tool)])
        let second = namespacer.assign([(server, tool)])
        #expect(first == second)
        let name = first.first ?? ""
        #expect(!name.isEmpty && name.count <= ToolNamespacer.defaultMaximumLength)
        #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
    }

    @Test func collisionsGetDistinctNames() {
        let names = namespacer.assign([("a", "x.y"), ("a", "x_y"), ("a", "x y")])
        #expect(Set(names).count == 3)
    }

    @Test func reservedNamesAreNeverProduced() {
        let names = namespacer.assign([("gateway", "invoke")], reserved: ["gateway__invoke"])
        #expect(names.first != "gateway__invoke")
    }

    @Test func fitsUnderSixtyFourWithAClientPrefix() {
        let names = namespacer.assign([(String(repeating: "x", count: 64), String(repeating: "y", count: 64))])
        #expect("mcp__gateway__".count + (names.first?.count ?? 99) <= 64)
    }
}
