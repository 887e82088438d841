// redaction-bench: what the credential redactor costs and how often it is wrong.
//
//   redaction-bench speed [--rounds R] [--iterations N]   µs per 10 KB result: clean, with secrets,
//                                                          with 20 gateway secrets configured
//   redaction-bench small [--iterations N]                one small relayed result (for callgrind)
//   redaction-bench corpus DIR                             false positives on DIR/*.jsonl (one
//                                                          result per line): kinds, context, per MB
//
// Built in release (`swift build -c release --product redaction-bench`); numbers go to
// BENCHMARKS.md "Secret redaction".

import Foundation
import GatewayGovernance

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Int(arguments[index + 1]) else {
        return value
    }
    return parsed
}

/// A 10 KB `CallToolResult` like a real one: prose, code, identifiers, hex ids and a base64
/// blob; `secrets` plants one credential of several kinds.
func result(secrets: Bool) -> [UInt8] {
    var text = ""
    let prose = "The backend returned the list of open issues for the repository, sorted by update time. "
        + "Each entry has an id, a title, labels, the author and a short excerpt of the body text. "
    var line = 0
    while text.utf8.count < 9_000 {
        line += 1
        switch line % 5 {
        case 0: text += "commit \(String(repeating: "3f786850e387550fdab8", count: 2)) (HEAD -> main)\n"
        case 1: text += prose + "\n"
        case 2: text += "- id: 123e4567-e89b-12d3-a456-42661417\(1000 + line) state: open, updated: 2026-12-06T21:50:30Z\n"
        case 3: text += "    func scan(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 == 0x5C } }  // Bearer tokens, secrets\n"
        default: text += "blob: iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg\n"
        }
    }
    if secrets {
        text += "AKIA" + "IOSFODNN7EXAMPLE gh" + "p_R7kq2Lm9Xw4Tz8Vb3Nc6Yd1Ke5Fg0HjPaSuW Authorization: Bearer tok_a1B2c3D4e5F6g7H8i9\n"
    }
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": escaped += "\\n"
        case "\"": escaped += "\\\""
        case "\\": escaped += "\\\\"
        default: escaped.unicodeScalars.append(scalar)
        }
    }
    var document = "{\"content\":[{\"type\":\"text\",\"text\":\"" + escaped + "\"}],\"isError\":false}"
    while document.utf8.count < 10_240 { document.insert(" ", at: document.index(before: document.endIndex)) }
    return Array(document.utf8.prefix(10_240))
}

/// The thread's CPU time: on a shared machine, wall time would count the waits for a core.
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Median over rounds of the mean µs per scan of `document`.
func measure(_ scanner: SecretScanner, _ document: [UInt8], rounds: Int, iterations: Int) -> (median: Double, found: Int) {
    var found = 0
    var perRound: [Double] = []
    for _ in 0..<rounds {
        let start = now()
        for _ in 0..<iterations {
            if let redacted = scanner.redact(json: document) { found &+= redacted.counts.total }
        }
        perRound.append(Double(now() - start) / Double(iterations) / 1000)
    }
    perRound.sort()
    return (perRound[perRound.count / 2], found / max(1, rounds * iterations))
}

func speed() {
    let rounds = option("--rounds", default: 9)
    let iterations = option("--iterations", default: 2000)
    let clean = result(secrets: false)
    let dirty = result(secrets: true)
    let plain = SecretScanner()
    // 20 configured secrets, as a gateway with keys and backend credentials has.
    let configured = SecretScanner(gatewaySecrets: (0..<20).map { "gw-secret-\($0)-Zk3mQ9xLp2Rt7VwB" })
    print("document: \(clean.count) bytes; \(rounds) rounds × \(iterations) scans; median of the rounds' means (thread CPU time)")
    for (label, scanner) in [("built-in kinds", plain), ("+ 20 gateway secrets", configured)] {
        let a = measure(scanner, clean, rounds: rounds, iterations: iterations)
        let b = measure(scanner, dirty, rounds: rounds, iterations: iterations)
        print(String(format: "%@: clean %.2f µs per 10 KB; with secrets %.2f µs per 10 KB (%d replaced)",
                     label, a.median, b.median, b.found))
    }
}

/// A small relayed result (the shape of gateway-bench's echo answer), scanned `--iterations`
/// times: run under callgrind with `--toggle-collect='*SecretScanner*redact*'` for the
/// instructions one relayed call adds.
func small() {
    let iterations = option("--iterations", default: 100_000)
    let document = Array(#"{"content":[{"type":"text","text":"hello from gateway-bench: a short echo of 48 bytes"}],"isError":false}"#.utf8)
    let scanner = SecretScanner()
    var found = 0
    let start = now()
    for _ in 0..<iterations where scanner.redact(json: document) != nil { found += 1 }
    let nanoseconds = Double(now() - start) / Double(iterations)
    print(String(format: "small result (%d bytes): %.0f ns per scan (thread CPU), %d found", document.count, nanoseconds, found))
}

func corpus(_ directory: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
        print("cannot open \(directory)")
        exit(2)
    }
    let files = names.filter { $0.hasSuffix(".jsonl") }
    let scanner = SecretScanner()
    var totalBytes = 0
    var totals = RedactionCounts()
    var totalNanoseconds: UInt64 = 0
    for name in files.sorted() {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
        let bytes = [UInt8](data)
        var counts = RedactionCounts()
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let document = Array(line)
            // The fastest of 5 scans of this document (CPU time; the first pays for cold caches).
            var fastest = UInt64.max
            var found: SecretScanner.Redacted?
            for _ in 0..<5 {
                let start = now()
                found = scanner.redact(json: document)
                fastest = min(fastest, now() - start)
            }
            totalNanoseconds += fastest
            guard let found else { continue }
            counts.add(found.counts)
            // Each finding in its context (the corpus holds no secrets of ours).
            for finding in scanner.findings(json: document) {
                let before = String(decoding: document[max(0, finding.range.lowerBound - 50)..<finding.range.lowerBound], as: UTF8.self)
                let value = String(decoding: document[finding.range], as: UTF8.self)
                let after = String(decoding: document[finding.range.upperBound..<min(document.count, finding.range.upperBound + 30)],
                                   as: UTF8.self)
                print("  \(name) \(finding.kind.name): …\(before)⟦\(value.prefix(120))⟧\(after)…")
            }
        }
        totalBytes += bytes.count
        totals.add(counts)
        print("\(name): \(bytes.count) bytes, replaced: \(counts.isEmpty ? "none" : counts.description)")
    }
    let megabytes = Double(totalBytes) / 1_048_576
    print(String(format: "total %.2f MB, %d replaced (%.2f per MB): %@; scan %.1f µs per 10 KB",
                 megabytes, totals.total, Double(totals.total) / megabytes, totals.isEmpty ? "none" : totals.description,
                 Double(totalNanoseconds) / 1000 / (Double(totalBytes) / 10_240)))
}

switch arguments.first {
case "speed": speed()
case "small": small()
case "corpus" where arguments.count >= 2: corpus(arguments[1])
default:
    print("usage: redaction-bench speed [--rounds R] [--iterations N] | small [--iterations N] | corpus DIR")
    exit(2)
}
