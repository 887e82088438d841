// `gateway-bench report`: turns the JSON lines of one run.sh session into the summary
// tables (markdown, stdout) and one JSON document (results, machine, derived ratios).

import ArgumentParser
import Foundation
import MCPProtocol

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Summarize a run's JSON lines into tables and a JSON file.")

    @Option(help: "JSON lines written by the other subcommands (and run.sh).")
    var results: String

    @Option(help: "Where to write the combined JSON document.")
    var jsonOut: String?

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: results) else { throw BenchFailure("cannot read \(results)") }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        let parsed = lines.compactMap { try? JSONParser.parse(String($0)) }
        let run = RunResults(lines: parsed)
        let tables = SummaryTables(run: run)
        print(tables.markdown())
        if let jsonOut {
            let document: JSONValue = [
                "machine": run.machine ?? .null,
                "derived": .object(tables.derived()),
                "results": .array(parsed),
            ]
            var bytes = JSONWriter.encode(document)
            bytes.append(UInt8(ascii: "\n"))
            guard FileManager.default.createFile(atPath: jsonOut, contents: Data(bytes)) else {
                throw BenchFailure("cannot write \(jsonOut)")
            }
        }
    }
}

/// The JSON lines of one run, found by label (or by bench name when unlabelled). A label
/// measured in several interleaved rounds has one line per round; its numbers are then the
/// median over the rounds, so one disturbed round on this shared machine does not decide a ratio.
struct RunResults {
    private var byLabel: [String: [JSONValue]] = [:]
    private var all: [JSONValue] = []
    var machine: JSONValue?

    init(lines: [JSONValue]) {
        all = lines
        for line in lines {
            guard let key = line["label"]?.stringValue ?? line["bench"]?.stringValue else { continue }
            byLabel[key, default: []].append(line)
            if line["bench"]?.stringValue == "machine" { machine = line }
        }
    }

    /// The label's last line.
    func line(_ label: String) -> JSONValue? { byLabel[label]?.last }

    /// How many lines (rounds) the label has.
    func rounds(_ label: String) -> Int { byLabel[label]?.count ?? 0 }

    /// Every line of one bench kind, in order.
    func lines(bench: String) -> [JSONValue] { all.filter { $0["bench"]?.stringValue == bench } }

    /// The field's median over the label's rounds.
    func number(_ label: String, _ field: String) -> Double? {
        Self.median(roundNumbers(label, field))
    }

    /// The field in each round, in order (rounds without it are left out).
    func roundNumbers(_ label: String, _ field: String) -> [Double] {
        (byLabel[label] ?? []).compactMap { line in
            switch line[field] {
            case .int(let i)?: return Double(i)
            case .double(let d)?: return d
            default: return nil
            }
        }
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    func text(_ label: String, _ field: String) -> String? { line(label)?[field]?.stringValue }
}
