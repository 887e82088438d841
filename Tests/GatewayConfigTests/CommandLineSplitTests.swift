// The shell-like command splitter: quoting, escaping, and its errors.

import Testing
@testable import GatewayConfig

@Suite struct CommandLineSplitTests {
    @Test(arguments: [
        ("npx -y @scope/server --flag", ["npx", "-y", "@scope/server", "--flag"]),
        ("  spaced\t\tout \n words ", ["spaced", "out", "words"]),
        ("echo 'single quoted $HOME \\n'", ["echo", "single quoted $HOME \\n"]),
        ("echo \"double \\\"quoted\\\" \\$x \\\\ \\n\"", ["echo", "double \"quoted\" $x \\ \\n"]),
        ("a\\ b c\\'d \\\"e", ["a b", "c'd", "\"e"]),
        ("x '' \"\" y", ["x", "", "", "y"]),
        ("pre'mid'\"post\"", ["premidpost"]),
        ("one \\\ntwo", ["one", "two"]),
        ("jo\\\nined", ["joined"]),
        ("\"multi\\\nline\"", ["multiline"]),
        ("", []),
        ("   ", []),
        ("a && b", ["a", "&&", "b"]),
        ("'it'\\''s'", ["it's"]),
        ("ünïcode 'ké y'", ["ünïcode", "ké y"]),
    ])
    func splits(_ input: String, _ expected: [String]) throws {
        #expect(try commandLineSplit(input) == expected)
    }

    @Test func errors() {
        #expect(throws: CommandLineSplitError.unterminatedSingleQuote(offset: 4)) { try commandLineSplit("abc 'def") }
        #expect(throws: CommandLineSplitError.unterminatedDoubleQuote(offset: 0)) { try commandLineSplit("\"abc") }
        #expect(throws: CommandLineSplitError.unterminatedDoubleQuote(offset: 2)) { try commandLineSplit("a \"b\\\"") }
        #expect(throws: CommandLineSplitError.trailingBackslash) { try commandLineSplit("abc\\") }
    }

    @Test func errorDescriptions() {
        #expect(CommandLineSplitError.unterminatedSingleQuote(offset: 4).description == "unterminated single quote (opened at character 5)")
        #expect(CommandLineSplitError.trailingBackslash.description == "backslash at the end of the command escapes nothing")
    }
}
