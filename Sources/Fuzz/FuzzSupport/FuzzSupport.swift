// What every fuzz target shares: the check that turns a broken property into a crash libFuzzer
// records (with the input that caused it), and the input as Swift bytes.

import CFuzzDriver

/// Fails the run when a property does not hold. A crash is how libFuzzer learns of a finding:
/// it writes the input to `crash-<sha1>` and stops, and scripts/fuzz.sh reports the file.
public func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("fuzz property violated: \(message())", file: file, line: line) }
}

/// The input libFuzzer hands the target, copied into an array (the buffer is only lent).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The deepest bracket nesting in `bytes`, counting brackets outside strings (escapes
/// honoured); a property whose reference has its own depth limit skips deeper inputs.
public func bracketDepth(_ bytes: [UInt8]) -> Int {
    var depth = 0
    var deepest = 0
    var inString = false
    var escaped = false
    for byte in bytes {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1; deepest = max(deepest, depth)
        case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
        default: break
        }
    }
    return deepest
}

/// Starts libFuzzer on `callback`: the body of each target's `<Target>_main`, the name SwiftPM
/// gives `main` when it links an executable (libFuzzer's own main is then not linked).
public func runLibFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}

/// Lines as libyaml counts them (LF, CR, CRLF, NEL, LS and PS end a line), plus one for the
/// end of the text, where an unexpected end is reported.
public func yamlLineCount(_ text: String) -> Int {
    var lines = 1
    var afterCR = false
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": if !afterCR { lines += 1 }
        case "\r", "\u{85}", "\u{2028}", "\u{2029}": lines += 1
        default: break
        }
        afterCR = scalar == "\r"
    }
    return lines + 1
}
