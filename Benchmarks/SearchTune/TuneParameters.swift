// name=value assignments onto RankingParameters, and the runs a set of sweeps asks for.

import ToolSearch

enum TuneParameters {
    static let setters: [String: @Sendable (inout RankingParameters, Double) -> Void] = [
        "k1": { $0.k1 = $1 },
        "synonymWeight": { $0.synonymWeight = $1 },
        "nameCoverageBoost": { $0.nameCoverageBoost = $1 },
        "serverDiversityDecay": { $0.serverDiversityDecay = $1 },
        "typoWeight": { $0.typoWeight = $1 },
        "semanticWeight": { $0.semanticWeight = $1 },
        "semanticFloor": { $0.semanticFloor = $1 },
        "builtInPrior": { $0.builtInPrior = $1 },
        "splitsNeeds": { $0.splitsNeeds = $1 != 0 },
    ]

    static func apply(_ assignment: String, to parameters: inout RankingParameters) throws {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let setter = setters[parts[0]], let value = Double(parts[1]) else {
            throw ValidationFailure("expected name=number with name one of \(setters.keys.sorted().joined(separator: ", ")): \(assignment)")
        }
        setter(&parameters, value)
    }

    static func variants(base: RankingParameters, sweeps: [String]) throws -> [(label: String, parameters: RankingParameters)] {
        var runs: [(label: String, parameters: RankingParameters)] = [("", base)]
        for sweep in sweeps {
            let parts = sweep.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationFailure("expected name=v1,v2: \(sweep)") }
            var next: [(label: String, parameters: RankingParameters)] = []
            for run in runs {
                for value in parts[1].split(separator: ",") {
                    var parameters = run.parameters
                    try apply("\(parts[0])=\(value)", to: &parameters)
                    next.append(((run.label.isEmpty ? "" : run.label + " ") + "\(parts[0])=\(value)", parameters))
                }
            }
            runs = next
        }
        return runs
    }
}
