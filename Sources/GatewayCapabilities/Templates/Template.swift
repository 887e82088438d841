// A string template from a capability file: literal text, `{argument}` placeholders and `{env.NAME}`
// references. Parsed once at load time, so a caller's value is never scanned for placeholders: a value
// "{env.HOME}" or "${HOME}" stays exactly that text.

/// A parsed template string.
public struct Template: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        /// `{name}`: the caller's argument `name`.
        case argument(String)
        /// `{env.NAME}`: the gateway's environment variable NAME (file side only).
        case environment(String)
    }

    public let segments: [Segment]
    /// The text as written in the file.
    public let source: String

    public init(literal text: String) {
        segments = text.isEmpty ? [] : [.literal(text)]
        source = text
    }

    init(segments: [Segment], source: String) {
        self.segments = segments
        self.source = source
    }

    public var description: String { source }

    public var argumentNames: Set<String> {
        Set(segments.compactMap { if case .argument(let name) = $0 { return name } else { return nil } })
    }

    public var environmentNames: [String] {
        segments.compactMap { if case .environment(let name) = $0 { return name } else { return nil } }
    }

    /// The argument name when the template is exactly one `{name}` (which keeps the argument's JSON type in bodies).
    public var singleArgument: String? {
        guard segments.count == 1, case .argument(let name) = segments[0] else { return nil }
        return name
    }

    public var isEmpty: Bool { segments.isEmpty }

    /// Parses template text. Grammar: `{{` and `}}` are literal braces; `{name}` is an argument, where name
    /// matches `[A-Za-z0-9_][A-Za-z0-9_.-]*`; `{env.NAME}` is an environment variable; any other `{` is an error.
    public static func parse(_ text: String) -> Result<Template, TemplateSyntaxError> {
        // By Unicode scalar, not by Character: a brace after a "prepend" scalar (U+0600–U+0605,
        // say) joins its grapheme cluster, where a Character comparison would not see it
        // (fuzz finding 5: `؄{` parsed as a literal, written back as `؄{{`, failed to parse).
        var segments: [Segment] = []
        var literal = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func flushLiteral() {
            if !literal.isEmpty { segments.append(.literal(String(literal))) }
            literal = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "}" {
                // `}}` is an escaped brace; a lone `}` is taken literally (it cannot open anything).
                literal.append("}")
                index += (index + 1 < scalars.count && scalars[index + 1] == "}") ? 2 : 1
                continue
            }
            guard scalar == "{" else {
                literal.append(scalar)
                index += 1
                continue
            }
            if index + 1 < scalars.count, scalars[index + 1] == "{" {
                literal.append("{")
                index += 2
                continue
            }
            guard let close = scalars[(index + 1)...].firstIndex(of: "}") else {
                return .failure(TemplateSyntaxError(
                    message: "unclosed '{' in '\(text)'; write '{{' for a literal brace"))
            }
            let name = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            switch classify(name) {
            case .success(let segment):
                flushLiteral()
                segments.append(segment)
            case .failure(let problem):
                return .failure(problem)
            }
            index = close + 1
        }
        flushLiteral()
        return .success(Template(segments: segments, source: text))
    }

    private static func classify(_ name: String) -> Result<Segment, TemplateSyntaxError> {
        let isNameCharacter: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber || first == "_",
              name.allSatisfy(isNameCharacter) else {
            return .failure(TemplateSyntaxError(
                message: "'{\(name)}' is not a placeholder: write {argument} or {env.NAME}, and '{{' for a literal brace"))
        }
        if name.hasPrefix("env.") {
            let variable = String(name.dropFirst(4))
            guard isEnvironmentName(variable) else {
                return .failure(TemplateSyntaxError(message: "'{\(name)}': '\(variable)' is not an environment variable name"))
            }
            return .success(.environment(variable))
        }
        for scheme in ["keychain.", "oauth.", "secret."] where name.hasPrefix(scheme) {
            return .failure(TemplateSyntaxError(
                message: "'{\(name)}': \(scheme.dropLast()) secrets are not supported; use {env.NAME}, or auth.key env:NAME or file:PATH"))
        }
        return .success(.argument(name))
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

/// Why a template could not be parsed.
public struct TemplateSyntaxError: Error, Sendable, Equatable {
    public var message: String
}
