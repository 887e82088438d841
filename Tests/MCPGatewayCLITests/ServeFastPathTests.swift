// The start-up fast path must read every command line it accepts exactly as ArgumentParser
// reads it into ServeCommand, and hand everything else to ArgumentParser.

import ArgumentParser
import Testing
@testable import MCPGatewayCLI

@Suite struct ServeFastPathTests {
    /// What ArgumentParser makes of `arguments` when they select `serve`.
    func viaArgumentParser(_ arguments: [String]) throws -> ServeOptions? {
        (try GatewayCommand.parseAsRoot(arguments) as? ServeCommand)?.options
    }

    @Test(arguments: [
        [], ["serve"], ["--config", "g.yaml"], ["serve", "-c", "g.yaml", "-p", "8080"],
        ["--port=0", "--host", "0.0.0.0"], ["serve", "--log-level", "warning", "--log-format", "json"],
        ["--stdio", "--config=/etc/x.yaml"], ["serve", "--log-level=DEBUG", "--stdio", "-p", "65535"],
        ["--host=::1", "--config", "with space.yaml"],
    ])
    func acceptedLinesReadLikeArgumentParser(arguments: [String]) throws {
        let fast = try #require(ServeFastPath.parse(arguments))
        #expect(fast == (try viaArgumentParser(arguments)))
    }

    @Test(arguments: [
        ["--help"], ["-h"], ["serve", "--help"], ["--version"], ["config", "validate"], ["search", "x"],
        ["--port", "70000"], ["--port", "x"], ["--log-level", "loud"], ["--log-format", "xml"],
        ["--config"], ["--port", "1", "--port", "2"], ["-c", "a", "--config", "b"], ["--stdio=yes"],
        ["--unknown"], ["serve", "serve"], ["--config", "--stdio"], ["-cg.yaml"],
    ])
    func everythingElseGoesToArgumentParser(arguments: [String]) {
        #expect(ServeFastPath.parse(arguments) == nil)
    }

    /// Every option in `serve --help` is one the fast path knows, and the other way round.
    @Test func knowsExactlyTheOptionsServeDeclares() {
        let help = ServeCommand.helpMessage(columns: 400)
        var declared: Set<String> = []
        for word in help.split(whereSeparator: { " ,\n<>".contains($0) }) where word.hasPrefix("-") {
            let name = String(word)
            if name != "-h" && name != "--help" { declared.insert(name) }
        }
        #expect(declared == Set(ServeFastPath.knownOptions.keys))
        for (name, takesValue) in ServeFastPath.knownOptions {
            #expect(takesValue == (name != "--stdio"), "\(name)")
        }
    }
}
