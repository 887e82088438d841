// `security.firewall`: credential redaction on by default (also without the section), switched
// off by `credential_redaction: false` or `enabled: false`; the reference's other firewall keys
// refused when they ask for something and accepted when they ask for nothing.

import Testing
@testable import GatewayConfig

@Suite struct FirewallSectionTests {
    @Test func redactionIsOnByDefault() throws {
        let absent = try #require(parse("").config)
        #expect(absent.security.firewall == FirewallSettings(enabled: true, credentialRedaction: true))
        #expect(absent.security.firewall.redactsCredentials)
        let empty = try #require(parse("security:\n  firewall: {}\n").config)
        #expect(empty.security.firewall.redactsCredentials)
        let explicit = try #require(parse("security:\n  firewall: {enabled: true, credential_redaction: yes}\n").config)
        #expect(explicit.security.firewall.redactsCredentials)
    }

    @Test func eitherKeySwitchesItOff() throws {
        let key = try #require(parse("security:\n  firewall:\n    credential_redaction: false\n").config)
        #expect(key.security.firewall == FirewallSettings(enabled: true, credentialRedaction: false))
        #expect(!key.security.firewall.redactsCredentials)
        let section = try #require(parse("security:\n  firewall: {enabled: false}\n").config)
        #expect(!section.security.firewall.redactsCredentials)
        let variable = try #require(parse("security:\n  firewall: {credential_redaction: \"${REDACT:-off}\"}\n").config)
        #expect(!variable.security.firewall.redactsCredentials)
    }

    @Test func wrongTypesAreErrorsWithTheirLine() {
        let result = parse("""
            security:
              firewall:
                enabled: true
                credential_redaction: sometimes
            """)
        #expect(result.errors.map(\.path) == ["security.firewall.credential_redaction"])
        #expect(result.errors.map(\.line) == [4])
        #expect(result.errorMessages[0].contains("true or false"))
        let notMapping = parse("security:\n  firewall: on\n")
        #expect(notMapping.errors.map(\.path) == ["security.firewall"])
    }

    /// Each of the reference's other firewall features asks for protection this gateway does
    /// not give: refused with its line rather than ignored.
    @Test func featuresWeDoNotImplementAreRefused() {
        let result = parse("""
            security:
              firewall:
                enabled: true
                scan_requests: true
                scan_responses: true
                prompt_injection_detection: true
                credential_redaction: true
                anomaly_detection: true
                anomaly_block_threshold: 0.9
                audit_log: /var/log/firewall.jsonl
                memory_poisoning: {enabled: true}
                rules: [{match: "exec_*", action: block}]
            """)
        #expect(result.config == nil)
        #expect(result.errors.map(\.path) == [
            "security.firewall.scan_requests", "security.firewall.scan_responses",
            "security.firewall.prompt_injection_detection", "security.firewall.anomaly_detection",
            "security.firewall.anomaly_block_threshold", "security.firewall.audit_log",
            "security.firewall.memory_poisoning", "security.firewall.rules",
        ])
        #expect(result.errors.map(\.line) == [4, 5, 6, 8, 9, 10, 11, 12])
        #expect(result.errorMessages.allSatisfy { $0.contains("refused rather than ignored") })
        #expect(result.errorMessages[0].hasPrefix("'security.firewall.scan_requests' asks for a firewall feature"))
    }

    /// A reference file that switches those features off asks for nothing we lack: it loads.
    @Test func featuresSwitchedOffLoad() throws {
        let result = parse("""
            security:
              firewall:
                scan_requests: false
                scan_responses: no
                prompt_injection_detection: off
                anomaly_detection: false
                anomaly_threshold: 0.7
                anomaly_block_threshold: null
                audit_log: ""
                memory_poisoning: {enabled: false, threshold: 3}
                rules: []
            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.map(\.path) == ["security.firewall.anomaly_threshold"])
        #expect(result.warningMessages[0].contains("anomaly detection is not implemented"))
        let config = try #require(result.config)
        #expect(config.security.firewall.redactsCredentials)
    }

    /// `enabled: false` switches the whole firewall off: what its other keys ask for is moot.
    @Test func sectionSwitchedOffAsksForNothing() throws {
        let result = parse("security:\n  firewall: {enabled: false, scan_requests: true, rules: [{match: x}]}\n")
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(try #require(result.config).security.firewall.redactsCredentials == false)
    }

    @Test func unknownKeysGetASuggestion() {
        let result = parse("security:\n  firewall:\n    credential_redactions: false\n")
        #expect(result.errorMessages == ["unknown key 'credential_redactions' in 'security.firewall'; did you mean 'credential_redaction'?"])
    }
}
