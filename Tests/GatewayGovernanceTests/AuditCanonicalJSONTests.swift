// The canonical form behind `arguments_sha256`: the same arguments in any key order, spacing
// or escaping digest the same; different values (numbers as written included) do not.

import Crypto
import GatewayGovernance
import Testing

@Suite struct AuditCanonicalJSONTests {
    private func canonical(_ text: String) -> String? {
        CanonicalJSON.canonical(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    private func digest(_ text: String) -> String { ArgumentDigest.sha256Hex(of: Array(text.utf8)) }

    @Test func keysAreSortedAndWhitespaceDropped() {
        #expect(canonical(#"{ "b" : 1, "a" : [ 1 , 2 ], "c": {"z": true, "y": null} }"#)
            == #"{"a":[1,2],"b":1,"c":{"y":null,"z":true}}"#)
        #expect(digest(#"{"path":"/tmp/x","mode":"r"}"#) == digest("{\n  \"mode\": \"r\",\n  \"path\": \"/tmp/x\"\n}"))
    }

    @Test func nestedObjectsAreSortedAtEveryLevel() {
        let one = #"{"outer":{"b":{"d":1,"c":2},"a":[{"y":1,"x":2}]}}"#
        let two = #"{"outer":{"a":[{"x":2,"y":1}],"b":{"c":2,"d":1}}}"#
        #expect(digest(one) == digest(two))
        #expect(canonical(one) == #"{"outer":{"a":[{"x":2,"y":1}],"b":{"c":2,"d":1}}}"#)
        // Array order is meaning: it is kept.
        #expect(digest(#"{"a":[1,2]}"#) != digest(#"{"a":[2,1]}"#))
    }

    @Test func stringsAreEscapedOneWay() {
        // An escaped and a literal é, an escaped solidus and a plain one, a surrogate pair and the emoji itself.
        #expect(canonical(#"{"k":"caf\u00e9 \/ \ud83d\ude00"}"#) == "{\"k\":\"café / 😀\"}")
        #expect(digest(#"{"k":"caf\u00e9"}"#) == digest("{\"k\":\"café\"}"))
        // Control characters: the short escapes where JSON has them, \u00xx otherwise.
        #expect(canonical(#"["\u000a\u0009\u0001\"\\"]"#) == #"["\n\t\u0001\"\\"]"#)
        // Keys are compared after unescaping: "\u0062" is "b".
        #expect(canonical(#"{"\u0062":1,"a":2}"#) == #"{"a":2,"b":1}"#)
    }

    @Test func keysSortByUTF16CodeUnits() {
        // U+FF61 sorts after U+1F600 in code points but before it in UTF-16 (RFC 8785 order).
        #expect(canonical("{\"😀\":1,\"｡\":2,\"z\":3}") == "{\"z\":3,\"😀\":1,\"｡\":2}")
    }

    @Test func numbersStayAsWritten() {
        #expect(canonical(#"{"n":1.0,"m":1e3,"big":12345678901234567890123}"#) == #"{"big":12345678901234567890123,"m":1e3,"n":1.0}"#)
        #expect(digest(#"{"n":1}"#) != digest(#"{"n":1.0}"#))
        #expect(canonical("[-0.5E+2]") == "[-0.5E+2]")
    }

    @Test func invalidJSONIsRefused() {
        for bad in ["{", #"{"a":}"#, "[1,]", "01", #"{"a":1}x"#, "\"\u{01}\"", #"{"a" 1}"#, "tru", "1.", #""\x""#] {
            #expect(canonical(bad) == nil, "\(bad)")
        }
        let deep = String(repeating: "[", count: CanonicalJSON.maxDepth + 1) + String(repeating: "]", count: CanonicalJSON.maxDepth + 1)
        #expect(canonical(deep) == nil)
    }

    @Test func digestIsSHA256OfTheCanonicalBytes() {
        let expected = SHA256.hash(data: Array(#"{"a":1,"b":"x"}"#.utf8)).map { String(format: $0) }.joined()
        #expect(digest(#"{ "b": "x", "a": 1 }"#) == expected)
        #expect(digest("{}").count == 64)
    }
}

private extension String {
    init(format byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
