// A word made only of letters, for typo tolerance: ASCII words are edited and compared as
// bytes, which gives the same edits as Characters at a fraction of the cost. Deletions are
// named by a 64-bit hash of their UTF-8 text instead of being built as Strings: a wrong match
// through a hash collision is harmless, because every candidate's distance is checked.

enum Letters: Sendable {
    case ascii([UInt8])
    case unicode([Character])

    /// Nil when the word has anything but letters.
    init?(_ word: String) {
        let bytes = Array(word.utf8)
        if !bytes.contains(where: { $0 >= 0x80 }) {
            guard bytes.allSatisfy({ (0x61...0x7A).contains($0 | 0x20) }) else { return nil }
            self = .ascii(bytes)
        } else {
            let characters = Array(word)
            guard characters.allSatisfy(\.isLetter) else { return nil }
            self = .unicode(characters)
        }
    }

    var count: Int {
        switch self {
        case .ascii(let bytes): bytes.count
        case .unicode(let characters): characters.count
        }
    }

    /// The hash of the word itself.
    var key: UInt64 {
        switch self {
        case .ascii(let bytes): Self.hash(bytes, skipping: -1, and: -1)
        case .unicode(let characters): Self.hash(String(characters))
        }
    }

    /// Hashes of every word one deletion away and, with `twice`, two deletions away.
    func deletionKeys(twice: Bool) -> Set<UInt64> {
        var out: Set<UInt64> = []
        switch self {
        case .ascii(let bytes):
            out.reserveCapacity(twice ? bytes.count * bytes.count / 2 + bytes.count : bytes.count)
            for first in bytes.indices {
                out.insert(Self.hash(bytes, skipping: first, and: -1))
                guard twice else { continue }
                for second in (first + 1)..<bytes.count {
                    out.insert(Self.hash(bytes, skipping: first, and: second))
                }
            }
        case .unicode(let characters):
            for first in characters.indices {
                var once = characters
                once.remove(at: first)
                out.insert(Self.hash(String(once)))
                guard twice else { continue }
                for second in once.indices {
                    var again = once
                    again.remove(at: second)
                    out.insert(Self.hash(String(again)))
                }
            }
        }
        return out
    }

    func distance(to other: Letters, bound: Int) -> Int {
        switch (self, other) {
        case (.ascii(let a), .ascii(let b)): TypoIndex.distance(a, b, bound: bound)
        default: TypoIndex.distance(characters, other.characters, bound: bound)
        }
    }

    private var characters: [Character] {
        switch self {
        case .ascii(let bytes): bytes.map { Character(Unicode.Scalar($0)) }
        case .unicode(let characters): characters
        }
    }

    private static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01B3

    /// FNV-1a of `bytes` without the bytes at two positions (-1: none).
    private static func hash(_ bytes: [UInt8], skipping first: Int, and second: Int) -> UInt64 {
        var hash = offsetBasis
        for index in bytes.indices where index != first && index != second {
            hash = (hash ^ UInt64(bytes[index])) &* prime
        }
        return hash
    }

    private static func hash(_ text: String) -> UInt64 {
        hash(Array(text.utf8), skipping: -1, and: -1)
    }
}
