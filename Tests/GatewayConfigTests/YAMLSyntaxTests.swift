// Broken YAML becomes one diagnostic at the position libyaml reports.

import Testing
@testable import GatewayConfig

@Suite struct YAMLSyntaxTests {
    @Test func badIndentation() {
        let result = parse("server:\n  port: 1\n   host: x\n")
        #expect(result.config == nil)
        let error = result.singleError
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("invalid YAML: ") == true)
        #expect(error?.path == "")
    }

    @Test func unclosedFlowSequence() {
        let result = parse("server:\n  allowed_origins: [a, b\n")
        #expect(result.singleError?.message.hasPrefix("invalid YAML") == true)
        #expect(result.singleError?.line == 3)
    }

    @Test func tabIndentation() {
        let result = parse("server:\n\tport: 1\n")
        #expect(result.singleError?.line == 2)
    }

    @Test func duplicateKeys() {
        let result = parse("server:\n  port: 1\n  port: 2\n")
        #expect(result.singleError?.message == "duplicate key 'port' in the same mapping")
        #expect(result.singleError?.line == 2)
    }

    @Test func severalDocuments() {
        let result = parse("server: {}\n---\nbackends: {}\n")
        #expect(result.singleError?.message.contains("single document") == true)
        #expect(result.singleError?.line == 2)
    }

    @Test func unknownAlias() {
        #expect(parse("server: *nothing\n").singleError?.message.contains("undefined alias") == true)
    }
}
