// One query of a bench query file: its text and, per needed tool, the (server, tool) pairs that
// satisfy it (the labelled tool and its alternatives).

import Foundation
import MCPProtocol

struct TuneQuery {
    let id: String
    let text: String
    /// One group per needed tool; a group is satisfied by any of its pairs.
    let groups: [[String]]

    static func load(path: String) throws -> [TuneQuery] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationFailure("cannot read \(path)") }
        var queries: [TuneQuery] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.isEmpty {
            let record = try JSONParser.parse(Array(line.utf8))
            guard let text = record["query"]?.stringValue, let expected = record["expected"]?.arrayValue else { continue }
            let groups = expected.map { need -> [String] in
                var pairs = [Self.key(need)]
                for alternative in need["alternatives"]?.arrayValue ?? [] { pairs.append(Self.key(alternative)) }
                return pairs
            }
            queries.append(TuneQuery(id: record["id"]?.stringValue ?? "", text: text, groups: groups))
        }
        return queries
    }

    static func key(_ value: JSONValue) -> String {
        "\(value["server"]?.stringValue ?? "")/\(value["tool"]?.stringValue ?? "")"
    }
}
