// The parts of a tool definition that are indexed separately, each with its own BM25F
// weight and length normalisation.

enum SearchField: Int, CaseIterable, Sendable {
    case name
    case title
    case description
    case parameterNames
    case parameterDescriptions
    case serverName
    case serverDescription
    case tags
}
