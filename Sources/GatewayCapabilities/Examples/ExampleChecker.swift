// Checks a capability's examples: each example's arguments are validated and turned into the primary
// provider's request, without sending it, and compared with the request the example expects. Secrets
// are replaced by `<NAME>` placeholders, so examples never need (or show) a real credential.

import MCPProtocol

public enum ExampleChecker {
    /// The request the primary provider would send for `arguments` (secrets as `<NAME>` placeholders).
    public static func previewRequest(_ definition: CapabilityDefinition, arguments: JSONValue) throws -> PreparedRequest {
        do {
            let object = try CapabilityExecutor.validatedArguments(definition, JSONWriter.encode(arguments))
            let builder = RequestBuilder(definition: definition, provider: definition.primary,
                                         resolver: SecretResolver(environment: [:], mode: .placeholders))
            return try builder.build(arguments: object)
        } catch {
            throw ExamplePreviewError(message: error.message)
        }
    }

    /// One problem per example that does not produce its expected request; empty when all pass.
    public static func check(_ definition: CapabilityDefinition) -> [CapabilityProblem] {
        var problems: [CapabilityProblem] = []
        for (index, example) in definition.examples.enumerated() {
            let report = { (message: String) in
                problems.append(CapabilityProblem(path: definition.sourcePath, line: example.line,
                                                  keyPath: "examples[\(index)]", message: "example \(index + 1): \(message)"))
            }
            let request: PreparedRequest
            do {
                request = try previewRequest(definition, arguments: example.arguments)
            } catch {
                report("no request could be built: \(error)")
                continue
            }
            for mismatch in mismatches(example, request) { report(mismatch) }
        }
        return problems
    }

    static func mismatches(_ example: CapabilityExample, _ request: PreparedRequest) -> [String] {
        var found: [String] = []
        if let method = example.method, method != request.method {
            found.append("method: expected \(method), produced \(request.method)")
        }
        if let url = example.url, url != request.url {
            found.append("url:\n    expected \(url)\n    produced \(request.url)")
        }
        for header in example.headers {
            let produced = request.header(header.name)
            if produced != header.value {
                found.append("header \(header.name): expected '\(header.value)', produced \(produced.map { "'\($0)'" } ?? "none")")
            }
        }
        if let expected = example.body {
            let producedText = request.bodyText ?? ""
            let producedJSON = request.body.flatMap { try? JSONParser.parse($0) }
            let matches: Bool
            if case .string(let text) = expected, producedJSON == nil || producedJSON?.stringValue != nil {
                matches = text == producedText
            } else {
                matches = producedJSON.map { sameJSON($0, expected) } ?? false
            }
            if !matches {
                found.append("body:\n    expected \(JSONWriter.encodeString(expected))\n    produced \(producedText.isEmpty ? "no body" : producedText)")
            }
        }
        return found
    }

    /// JSON equality with 1 and 1.0 the same number and object keys in any order.
    static func sameJSON(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy(sameJSON)
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.members.allSatisfy { member in b[member.key].map { sameJSON(member.value, $0) } ?? false }
        default: return lhs == rhs
        }
    }
}

/// Why no request could be built for some arguments (invalid arguments, a bad value for the URL).
public struct ExamplePreviewError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
