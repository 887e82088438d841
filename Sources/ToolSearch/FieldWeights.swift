// Tunable ranking constants: BM25F weight and length normalisation per field, plus the
// strengths of the signals layered on top (query expansion, argument values, name coverage).

/// Weight and length normalisation (BM25 `b`) of one field.
public struct FieldWeight: Sendable, Equatable {
    public var weight: Double
    public var lengthNormalization: Double

    public init(weight: Double, lengthNormalization: Double) {
        self.weight = weight
        self.lengthNormalization = lengthNormalization
    }
}

/// Per-field BM25F weights.
public struct FieldWeights: Sendable, Equatable {
    public var name = FieldWeight(weight: 3.0, lengthNormalization: 0.5)
    public var title = FieldWeight(weight: 2.0, lengthNormalization: 0.5)
    public var description = FieldWeight(weight: 1.0, lengthNormalization: 0.75)
    public var parameterNames = FieldWeight(weight: 1.0, lengthNormalization: 0.5)
    public var parameterDescriptions = FieldWeight(weight: 0.5, lengthNormalization: 0.75)
    public var serverName = FieldWeight(weight: 1.0, lengthNormalization: 0.0)
    public var serverDescription = FieldWeight(weight: 0.3, lengthNormalization: 0.75)
    public var tags = FieldWeight(weight: 1.5, lengthNormalization: 0.5)

    public init() {}

    subscript(field: SearchField) -> FieldWeight {
        switch field {
        case .name: name
        case .title: title
        case .description: description
        case .parameterNames: parameterNames
        case .parameterDescriptions: parameterDescriptions
        case .serverName: serverName
        case .serverDescription: serverDescription
        case .tags: tags
        }
    }
}

/// Everything the ranking can be tuned with; `standard` is what the gateway uses.
public struct RankingParameters: Sendable, Equatable {
    /// BM25 term-frequency saturation.
    public var k1 = 1.2
    public var fields = FieldWeights()
    /// Weight of a hand-written synonym relative to the word the query used.
    public var synonymWeight = 0.5
    /// Weight of words inside argument values (paths, URLs, quoted text): they name data, not tools.
    public var valueWordWeight = 0.3
    /// Weight of the word a value's shape implies ("url" for a URL, "path" for a path).
    public var valueShapeWeight = 0.5
    /// Extra score, as a fraction, for a tool whose whole name the query covers.
    public var nameCoverageBoost = 1.0
    /// How much a name word reached through a synonym counts towards name coverage.
    public var synonymCoverage = 1.0
    /// Result diversity across servers: the n-th hit from a server already represented
    /// `diversityFreeHits` times is scored × decay^(n − free). 1 disables it. The top hit never moves.
    public var serverDiversityDecay = 0.8
    /// Weight of a vocabulary word standing in for a query word that looks misspelled.
    public var typoWeight = 0.35
    public var diversityFreeHits = 1
    /// Hybrid mode: the cosine's share of the blend (BM25F, divided by the query's best, has the rest).
    public var semanticWeight = 0.4
    /// Hybrid mode: the cosine a tool needs to be returned when no query word matches it.
    public var semanticFloor = 0.3
    /// Score factor of the gateway's built-in (starter-pack) tools: the user's own backends are
    /// what they came for, so on a near tie theirs go first.
    public var builtInPrior = 0.8
    /// Whether a query that names several needs is searched need by need (NeedSplitter).
    public var splitsNeeds = true

    public init() {}

    public static let standard = RankingParameters()
}
