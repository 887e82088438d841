// `security.pinning`: enforce, warn (the default) or off; anything else is an error with its
// line and a suggestion.

import Testing
@testable import GatewayConfig

@Suite struct PinningSettingTests {
    @Test func defaultIsWarn() throws {
        #expect(try #require(parse("").config).security.pinning == .warn)
    }

    @Test func everyModeReads() throws {
        for mode in PinningMode.allCases {
            let result = parse("security:\n  pinning: \(mode.rawValue)\n")
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
            #expect(try #require(result.config).security.pinning == mode)
        }
    }

    @Test func aWrongModeIsAnErrorWithItsLineAndASuggestion() throws {
        let result = parse("security:\n  pinning: enforced\n")
        #expect(result.config == nil)
        let error = try #require(result.error(at: "security.pinning"))
        #expect(error.message.contains("enforce, warn, off"))
        #expect(error.message.contains("did you mean 'enforce'?"))
        #expect(error.line == 2)
    }
}
