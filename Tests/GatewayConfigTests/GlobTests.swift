// The glob matcher the allow and deny lists use.

import GatewayConfig
import Testing

@Suite struct GlobTests {
    @Test func literalsMatchExactly() {
        #expect(Glob("read_file").matches("read_file"))
        #expect(!Glob("read_file").matches("read_files"))
        #expect(!Glob("read_file").matches("xread_file"))
    }

    @Test func starMatchesAnyRunIncludingSeparators() {
        #expect(Glob("*").matches(""))
        #expect(Glob("github:*").matches("github:create_issue"))
        #expect(Glob("*:delete_*").matches("fs:delete_file"))
        #expect(!Glob("*:delete_*").matches("fs:remove_file"))
        #expect(Glob("fs:file:///tmp/*").matches("fs:file:///tmp/a/b.txt"))
        #expect(Glob("a*b*c").matches("aXXbYYc"))
        #expect(!Glob("a*b*c").matches("aXXbYY"))
    }

    @Test func questionMarkIsOneCharacter() {
        #expect(Glob("v?").matches("v1"))
        #expect(!Glob("v?").matches("v12"))
        #expect(Glob("caf?").matches("café"))
    }

    @Test func manyStarsStayLinear() {
        let pattern = Glob(String(repeating: "*a", count: 30) + "b")
        let text = String(repeating: "a", count: 10_000)
        #expect(!pattern.matches(text))
    }
}
