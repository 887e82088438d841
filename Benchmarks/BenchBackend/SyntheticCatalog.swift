// Generates the backend's tool list: `echo` plus N synthetic tools built deterministically
// from the vocabulary, encoded once at startup so tools/list is a byte copy.

import MCPProtocol

struct SyntheticCatalog: Sendable {
    /// The encoded `tools/list` result: `{"tools":[...]}`.
    let listResult: [UInt8]
    let toolNames: Set<String>

    static let echoTool: JSONValue = [
        "name": "echo",
        "description": "Echo the given text back as a text content block.",
        "inputSchema": [
            "type": "object",
            "properties": ["text": ["type": "string", "description": "Text to echo back"]],
            "required": ["text"],
        ],
        "annotations": ["readOnlyHint": true],
    ]

    init(syntheticCount: Int) {
        var tools: [JSONValue] = [Self.echoTool]
        var names: Set<String> = ["echo"]
        let combinations = Self.combinations()
        let stride = Self.coprimeStride(for: combinations.count)
        for index in 0..<max(syntheticCount, 0) {
            let round = index / combinations.count
            // Striding spreads the first few hundred tools over every domain and verb.
            let combination = combinations[(index % combinations.count) * stride % combinations.count]
            let tool = Self.tool(combination, round: round)
            if case .string(let name)? = tool["name"] { names.insert(name) }
            tools.append(tool)
        }
        listResult = JSONWriter.encode(["tools": .array(tools)])
        toolNames = names
    }

    struct Combination {
        let domain: ToolDomain
        let noun: String
        let verb: ToolVerb
    }

    static func combinations() -> [Combination] {
        var all: [Combination] = []
        for domain in SyntheticVocabulary.domains {
            for noun in domain.nouns {
                for verb in SyntheticVocabulary.verbs { all.append(Combination(domain: domain, noun: noun, verb: verb)) }
            }
        }
        return all
    }

    /// A step near 61.8% of `count` with gcd 1, so `k * step mod count` visits every index once.
    static func coprimeStride(for count: Int) -> Int {
        guard count > 2 else { return 1 }
        var step = count * 618 / 1000
        while greatestCommonDivisor(step, count) != 1 { step += 1 }
        return step
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    static func tool(_ combination: Combination, round: Int) -> JSONValue {
        let qualifiers = SyntheticVocabulary.qualifiers
        let qualifier = qualifiers[round % qualifiers.count]
        let generation = round / qualifiers.count
        let domain = combination.domain
        let verb = combination.verb
        let nounWords = combination.noun.replacingUnderscores
        let name = "\(domain.key)_\(verb.key)_\(combination.noun)\(qualifier.suffix)\(generation > 0 ? "_v\(generation + 1)" : "")"
        let sentence = verb.template
            .replacing("{nouns}", with: plural(nounWords))
            .replacing("{noun}", with: nounWords)
            .replacing("{product}", with: domain.product)
        return [
            "name": .string(name),
            "title": .string("\(verb.key.capitalizedWords) \(nounWords.capitalizedWords) (\(domain.product))"),
            "description": .string("\(sentence) \(qualifier.sentence) Scoped by \(domain.scope.replacingUnderscores)."),
            "inputSchema": ToolSchemaShapes.schema(scope: domain.scope, scopeDescription: domain.scopeDescription,
                                                   noun: combination.noun, shape: verb.shape),
            "annotations": ["readOnlyHint": .bool(verb.readOnly)],
        ]
    }

    static func plural(_ words: String) -> String {
        if words.hasSuffix("s") || words.hasSuffix("x") || words.hasSuffix("ch") || words.hasSuffix("sh") { return words + "es" }
        if words.hasSuffix("y"), let before = words.dropLast().last, !"aeiou".contains(before) {
            return words.dropLast() + "ies"
        }
        return words + "s"
    }
}

extension String {
    var replacingUnderscores: String { replacing("_", with: " ") }

    var capitalizedWords: String {
        split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}
