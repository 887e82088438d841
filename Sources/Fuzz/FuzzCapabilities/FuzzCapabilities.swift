// libFuzzer target: capability files (YAML loading and checks) and templating.
//
// The input is up to three parts split at 0xFF (never in UTF-8): a capability file, a call's
// arguments (JSON) and a template string. Checked:
// - the loader returns for any text; a definition comes back exactly when there is no error;
//   every problem names the file and a line inside it;
// - a loaded capability builds its request from any arguments without trapping, and what it
//   builds is a URL the gateway can parse with header names and values that cannot split the
//   request (no CR, LF or NUL from an argument);
// - a parsed template written back (braces escaped) parses to the same segments;
// - percent-encoding leaves only unreserved characters and `%XX`, and decodes to the input.

import Foundation
import FuzzSupport
@testable import GatewayCapabilities
import MCPProtocol

@_cdecl("FuzzCapabilities_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzCapabilities)
}

private let path = "/nonexistent-fuzz-dir/capability.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapabilities(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let parts = bytes.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let yaml = parts.first ?? ""
    let loaded = CapabilityFileLoader.parse(yaml: yaml, path: path)
    checkProblems(loaded, yaml: yaml)
    if let definition = loaded.definition, parts.count > 1, let arguments = try? JSONParser.parse(parts[1]) {
        checkRequest(definition, arguments: arguments)
    }
    let template = parts.count > 2 ? parts[2] : parts.last ?? ""
    checkTemplate(template)
    checkPercentEncoding(template)
    return 0
}

private func checkProblems(_ loaded: CapabilityLoadResult, yaml: String) {
    fuzzRequire((loaded.definition == nil) == !loaded.errors.isEmpty,
                "definition \(loaded.definition == nil ? "missing" : "present") with \(loaded.errors.count) errors")
    let lines = yamlLineCount(yaml)
    for problem in loaded.problems {
        fuzzRequire(problem.path == path, "problem names \(problem.path)")
        fuzzRequire(problem.line >= 1 && problem.line <= lines && problem.column >= 1,
                    "problem without a place in the text (\(lines) lines): \(problem)")
    }
}

private func checkRequest(_ definition: CapabilityDefinition, arguments: JSONValue) {
    guard let request = try? ExampleChecker.previewRequest(definition, arguments: arguments) else { return }
    fuzzRequire(URLParts(request.url) != nil, "built URL does not parse: \(request.url)")
    fuzzRequire(!request.url.utf8.contains { $0 <= 0x20 || $0 == 0x7F }, "built URL holds a control or space: \(request.url)")
    for header in request.headers {
        let splits = (header.name + header.value).utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
        fuzzRequire(!splits, "header \(header.name) carries CR, LF or NUL")
    }
}

private func checkTemplate(_ text: String) {
    guard case .success(let template) = Template.parse(text) else { return }
    var written = ""
    for segment in template.segments {
        switch segment {
        case .literal(let literal): written += escapedBraces(literal)
        case .argument(let name): written += "{\(name)}"
        case .environment(let name): written += "{env.\(name)}"
        }
    }
    guard case .success(let again) = Template.parse(written) else {
        fuzzRequire(false, "a template written back does not parse: \(written)")
        return
    }
    // Adjacent literals may merge differently; compare the meaning, not the split.
    fuzzRequire(merged(again.segments) == merged(template.segments), "a template written back parses differently: \(written)")
}

/// Doubles every brace, scalar by scalar as the parser reads them: String's replacingOccurrences
/// compares Characters, and "{" followed by a combining mark (U+0484) is one Character that is
/// not "{", so the brace stayed single and the written template no longer parsed (the harness's
/// own bug, FuzzCapabilities finding 6).
private func escapedBraces(_ literal: String) -> String {
    var escaped = String.UnicodeScalarView()
    for scalar in literal.unicodeScalars {
        escaped.append(scalar)
        if scalar == "{" || scalar == "}" { escaped.append(scalar) }
    }
    return String(escaped)
}

private func merged(_ segments: [Template.Segment]) -> [Template.Segment] {
    var out: [Template.Segment] = []
    for segment in segments {
        if case .literal(let next) = segment, case .literal(let previous)? = out.last {
            out[out.count - 1] = .literal(previous + next)
        } else {
            out.append(segment)
        }
    }
    return out
}

private func checkPercentEncoding(_ text: String) {
    let encoded = URLEncoding.encodeComponent(text)
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%".utf8)
    fuzzRequire(encoded.utf8.allSatisfy(allowed.contains), "encoded component keeps a reserved byte: \(encoded)")
    fuzzRequire(encoded.removingPercentEncoding == text, "percent-encoding does not round-trip")
}
