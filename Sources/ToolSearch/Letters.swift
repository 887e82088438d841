// A word made only of letters, for typo tolerance: ASCII words are edited and compared as
// bytes, which gives the same edits as Characters at a fraction of the cost.

/// A word made only of letters, as bytes when it is ASCII and as Characters otherwise.
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

    /// Every word one deletion away.
    func deletions() -> Set<String> {
        var out: Set<String> = []
        switch self {
        case .ascii(let bytes):
            out.reserveCapacity(bytes.count)
            bytes.withUnsafeBufferPointer { word in
                for skipped in word.indices {
                    out.insert(String(unsafeUninitializedCapacity: word.count - 1) { target in
                        var written = 0
                        for index in word.indices where index != skipped {
                            target[written] = word[index]
                            written += 1
                        }
                        return written
                    })
                }
            }
        case .unicode(let characters):
            for index in characters.indices {
                var copy = characters
                copy.remove(at: index)
                out.insert(String(copy))
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
}
