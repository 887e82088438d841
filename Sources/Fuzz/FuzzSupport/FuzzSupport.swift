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
