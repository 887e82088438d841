// libFuzzer target: the config loader (gateway.yaml: YAML via Yams, then the schema checks of
// ConfigDecoder), fed any text.
//
// Checked on every input: the loader returns (never traps, never overflows the stack on deep
// YAML); a config comes back exactly when there is no error; every diagnostic names the file
// and a line and column inside the text (an error without a place is useless to whoever has
// to fix the file).

import FuzzSupport
import GatewayConfig

@_cdecl("FuzzConfig_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzConfig)
}

/// A directory that does not exist: PEM paths and the like resolve under it and are not found
/// (no file the fuzzer names is ever opened relative to the working directory).
private let file = "/nonexistent-fuzz-dir/gateway.yaml"
private let environment = ["HOME": "/nonexistent-fuzz-dir", "TOKEN": "s3cret", "PORT": "8080"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let result = ConfigLoader.parse(yaml: text, file: file, environment: environment)
    fuzzRequire((result.config == nil) == !result.errors.isEmpty,
                "config \(result.config == nil ? "missing" : "present") with \(result.errors.count) errors")
    let lines = yamlLineCount(text)
    for diagnostic in result.diagnostics {
        fuzzRequire(diagnostic.file == file, "diagnostic names \(diagnostic.file)")
        fuzzRequire(diagnostic.line >= 1 && diagnostic.line <= lines && diagnostic.column >= 1,
                    "diagnostic without a place in the text (\(lines) lines): \(diagnostic)")
        fuzzRequire(!diagnostic.message.isEmpty, "diagnostic without a message")
    }
    return 0
}
