// Substring search over bytes, to check answers without parsing them into trees.

enum ByteSearch {
    static let isErrorTrue = Array("\"isError\":true".utf8)
    static let emptySearch = Array("\"total\":0}".utf8)

    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
