// The word-at-a-time string escaper against a byte-by-byte reference: every byte value at
// every position of a word, and long mixed texts whose lengths are not multiples of eight.

import Testing
@testable import MCPProtocol

@Suite struct JSONEscapeTests {
    private func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in bytes {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return out
    }

    private func written(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer { JSONWriter.writeString(utf8: $0, into: &out) }
        return out
    }

    @Test func everyByteAtEveryPositionOfAWord() {
        for value in UInt8(0)...UInt8(0xFF) {
            for position in 0..<17 {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: 17)
                bytes[position] = value
                #expect(written(bytes) == reference(bytes), "byte \(value) at \(position)")
            }
        }
    }

    @Test func maskFlagsExactlyTheSpecialBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let word = generator.next() as UInt64
            var expected: UInt64 = 0
            for index in 0..<8 {
                let byte = UInt8(truncatingIfNeeded: word >> (index * 8))
                if byte < 0x20 || byte == 0x22 || byte == 0x5C { expected |= 0x80 << (index * 8) }
            }
            #expect(JSONEscapeMask.specials(in: word) == expected)
        }
    }

    @Test func longMixedTextsOfEveryLength() {
        let unit = Array(#"{"a":"x\y","b":[1,2]}"#.utf8) + [0x0A, 0x01] + Array("é€".utf8)
        for length in 0..<(unit.count * 3) {
            let bytes = (0..<length).map { unit[$0 % unit.count] }
            #expect(written(bytes) == reference(bytes), "length \(length)")
        }
    }

    @Test func randomTextsDenseWithSpecials() {
        let alphabet: [UInt8] = [0x22, 0x5C, 0x0A, 0x01, 0x1F, 0x20, 0x61, 0x7B, 0xC3, 0xA9]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let length = Int.random(in: 0..<70, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0x61 }
            #expect(written(bytes) == reference(bytes), "\(bytes)")
        }
    }
}
