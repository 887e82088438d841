// libFuzzer target: the JSON scanner, cursor, parser and writer (MCPProtocol).
//
// Properties checked on every input, beyond "does not crash":
// - the cursor's grammar check (`skipValue`, the hot path's) accepts exactly what the tree
//   parser accepts, nesting limit included;
// - the scanner's views agree with the tree: object members (keys, order, last value of a
//   repeated key), array elements, `values(of:)`, `valueStart(of:)`, `members(expanding:)`;
// - Foundation's JSONSerialization accepts exactly the same valid-UTF-8 inputs (reference),
//   except for the differences documented in docs/reliability.md;
// - the writer's output parses back to a tree that encodes to the same bytes, and Foundation
//   accepts it; any string (the input read as UTF-8) survives quoting and parsing unchanged.

import FuzzSupport
import Foundation
@testable import MCPProtocol

@_cdecl("FuzzJSON_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzJSON)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let tree = try? JSONParser.parse(bytes)
    checkCursor(bytes, treeAccepted: tree != nil)
    if let tree {
        checkScanner(bytes, tree: tree)
        checkWriter(tree)
    } else {
        checkScannerRefuses(bytes)
    }
    checkReference(bytes, tree: tree)
    checkStringQuoting(bytes)
    return 0
}

/// The cursor's one-pass grammar check must agree with the parser on validity.
private func checkCursor(_ bytes: [UInt8], treeAccepted: Bool) {
    let skipped = try? JSONCursor.reading(bytes) { cursor throws(JSONParseError) -> Bool in
        _ = try cursor.skipValue()
        cursor.skipWhitespace()
        return cursor.atEnd
    }
    fuzzRequire((skipped == true) == treeAccepted, "skipValue says \(String(describing: skipped)), parser says \(treeAccepted)")
}

/// Every scanner entry point must see the values the tree has.
private func checkScanner(_ bytes: [UInt8], tree: JSONValue) {
    switch tree {
    case .object(let object):
        guard let members = try? JSONScanner.members(of: bytes) else {
            fuzzRequire(false, "scanner rejects an object the parser accepts")
            return
        }
        fuzzRequire(members.map(\.key) == object.keys, "member keys \(members.map(\.key)) vs tree \(object.keys)")
        for member in members {
            fuzzRequire((try? JSONParser.parse(bytes[member.range])) == object[member.key],
                        "member \(member.key) range \(member.range) does not hold its value")
        }
        // `values(of:)` and `valueStart(of:)` compare keys as bytes, so a key whose invalid
        // UTF-8 the parser repaired to U+FFFD matches only itself: checked on valid UTF-8.
        guard String(validating: bytes, as: UTF8.self) != nil else { return }
        let keys = object.keys.map(JSONScanner.Key.init)
        if let found = try? JSONScanner.values(of: keys, in: bytes, range: 0..<bytes.count) {
            for (key, range) in zip(object.keys, found) {
                fuzzRequire(range.flatMap { try? JSONParser.parse(bytes[$0]) } == object[key], "values(of:) for \(key)")
            }
        } else {
            fuzzRequire(false, "values(of:) rejects an object the parser accepts")
        }
        if let first = object.keys.first {
            let expanded = try? JSONScanner.members(of: bytes, expanding: first)
            fuzzRequire(expanded?.0.map(\.key) == object.keys, "members(expanding:) keys")
            if case .object(let inner)? = object[first] {
                fuzzRequire(expanded?.1?.map(\.key) == inner.keys, "members(expanding:) inner keys")
            }
            let start = try? JSONScanner.valueStart(of: first, in: bytes)
            fuzzRequire(start.flatMap { $0 } != nil, "valueStart(of:) misses \(first)")
        }
        fuzzRequire((try? JSONScanner.valueStart(of: "\u{1}absent", in: bytes)) == .some(nil), "valueStart(of:) finds an absent key")
    case .array(let elements):
        guard let ranges = try? JSONScanner.elements(of: bytes, in: 0..<bytes.count) else {
            fuzzRequire(false, "scanner rejects an array the parser accepts")
            return
        }
        fuzzRequire(ranges.count == elements.count, "element count")
        for (range, element) in zip(ranges, elements) {
            fuzzRequire((try? JSONParser.parse(bytes[range])) == element, "element range \(range)")
        }
    case .string(let string):
        let start = bytes.firstIndex { $0 > 0x20 } ?? 0
        let end = (bytes.lastIndex { $0 > 0x20 } ?? 0) + 1
        fuzzRequire(JSONScanner.string(in: bytes, range: start..<end) == string, "JSONScanner.string")
    default:
        break
    }
}

/// What the parser refuses, the scanner's object and array walks refuse too (nesting too deep
/// included: the walked container is a level, as in the parser).
private func checkScannerRefuses(_ bytes: [UInt8]) {
    switch bytes.first(where: { $0 > 0x20 }) {
    case UInt8(ascii: "{"):
        fuzzRequire((try? JSONScanner.members(of: bytes)) == nil, "scanner accepts an object the parser refuses")
    case UInt8(ascii: "["):
        fuzzRequire((try? JSONScanner.elements(of: bytes, in: 0..<bytes.count)) == nil, "scanner accepts an array the parser refuses")
    default:
        break
    }
}

/// Encode, parse, encode: the same bytes; and the reference accepts them.
private func checkWriter(_ tree: JSONValue) {
    let encoded = JSONWriter.encode(tree)
    guard let reparsed = try? JSONParser.parse(encoded) else {
        fuzzRequire(false, "the writer's output does not parse: \(String(decoding: encoded, as: UTF8.self))")
        return
    }
    fuzzRequire(JSONWriter.encode(reparsed) == encoded, "encode is not stable across a parse")
    if bracketDepth(encoded) <= referenceDepthLimit {
        fuzzRequire(foundationAccepts(encoded), "Foundation rejects the writer's output: \(String(decoding: encoded, as: UTF8.self))")
    }
}

/// Foundation nests up to 512 levels too, but counts differently at the edge; inputs deeper
/// than this are compared only between the gateway's own readers.
private let referenceDepthLimit = 500

/// Validity per Foundation's JSONSerialization, for valid UTF-8 (the gateway reads bytes and
/// repairs invalid UTF-8 in strings; Foundation refuses it) without NUL bytes or a byte order
/// mark: Foundation guesses UTF-16 or UTF-32 from NULs among the first bytes and skips a BOM,
/// while JSON on the wire is UTF-8 without BOM (RFC 8259 section 8.1), which the gateway requires.
private func checkReference(_ bytes: [UInt8], tree: JSONValue?) {
    let treeAccepted = tree != nil
    guard String(validating: bytes, as: UTF8.self) != nil, !bytes.contains(0), !bytes.starts(with: [0xEF, 0xBB, 0xBF]),
          bracketDepth(bytes) <= referenceDepthLimit else { return }
    let reference = foundationAccepts(bytes)
    if reference == treeAccepted { return }
    if treeAccepted && hasSurrogateEscape(bytes) { return }
    if let tree, hasNonFiniteNumber(tree) { return }
    if !treeAccepted && hasTrailingComma(bytes) { return }
    fuzzRequire(false, "Foundation says \(reference), parser says \(treeAccepted)")
}

private func foundationAccepts(_ bytes: [UInt8]) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
}

/// Accepted on purpose where Foundation refuses (docs/reliability.md): a `\u` escape
/// of a lone surrogate becomes U+FFFD, as in JavaScript's JSON.parse and Python's json, the
/// parsers of the backends the gateway must read as.
private func hasSurrogateEscape(_ bytes: [UInt8]) -> Bool {
    var index = 0
    while index + 2 < bytes.count {
        if bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] | 0x20 == UInt8(ascii: "d") {
            return true
        }
        index += 1
    }
    return false
}

/// Accepted on purpose where Foundation refuses: a number beyond Double's range reads as an
/// infinity (as Python's json and JavaScript's JSON.parse read it), written back as null.
private func hasNonFiniteNumber(_ value: JSONValue) -> Bool {
    switch value {
    case .double(let d): return !d.isFinite
    case .array(let items): return items.contains(where: hasNonFiniteNumber)
    case .object(let object): return object.members.contains { hasNonFiniteNumber($0.value) }
    default: return false
    }
}

/// Refused on purpose where Foundation accepts: a comma before `]` or `}` (not JSON, RFC 8259;
/// Python's json refuses it too, so relaying it would fail at the backend).
private func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
    var inString = false
    var escaped = false
    var afterComma = false
    for byte in bytes {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case 0x20, 0x0A, 0x0D, 0x09: continue
        case UInt8(ascii: "]"), UInt8(ascii: "}"): if afterComma { return true }
        case UInt8(ascii: "\""): inString = true
        default: break
        }
        afterComma = byte == UInt8(ascii: ",")
    }
    return false
}

/// Any string, quoted by the writer, parses back to itself.
private func checkStringQuoting(_ bytes: [UInt8]) {
    let string = String(decoding: bytes, as: UTF8.self)
    let quoted = JSONWriter.quoted(string)
    fuzzRequire((try? JSONParser.parse(quoted)) == .string(string), "quoting does not round-trip")
}
