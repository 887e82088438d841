// The searchable description of one tool, as the catalog hands it to the index,
// and the ranked hit the index hands back.

/// One top-level input-schema property of a tool.
public struct SearchParameter: Sendable, Hashable {
    public var name: String
    public var description: String

    public init(name: String, description: String = "") {
        self.name = name
        self.description = description
    }
}

/// Everything the index knows about one tool; the caller extracts it from the tool definition.
public struct SearchDocument: Sendable, Hashable {
    public var server: String
    public var serverDescription: String
    public var name: String
    public var title: String?
    public var description: String
    public var parameters: [SearchParameter]
    public var tags: [String]
    /// A tool the gateway ships (the capability starter pack), not one of the user's backends.
    public var isBuiltIn: Bool

    public init(
        server: String,
        serverDescription: String = "",
        name: String,
        title: String? = nil,
        description: String = "",
        parameters: [SearchParameter] = [],
        tags: [String] = [],
        isBuiltIn: Bool = false
    ) {
        self.server = server
        self.serverDescription = serverDescription
        self.name = name
        self.title = title
        self.description = description
        self.parameters = parameters
        self.tags = tags
        self.isBuiltIn = isBuiltIn
    }
}

/// A ranked result: `document` indexes the array the index was built from.
public struct SearchHit: Sendable, Equatable {
    public var document: Int
    public var score: Double
    /// For a query that names several needs, the part of it this hit answers.
    public var need: String?

    public init(document: Int, score: Double, need: String? = nil) {
        self.document = document
        self.score = score
        self.need = need
    }
}
