// The kinds of credential the redactor recognises. The raw value names the kind in the
// replacement (`[redacted:github_token]`) and in the log line that counts redactions, so a
// name, once given, keeps its meaning.

public enum SecretKind: Int, CaseIterable, Sendable, Hashable {
    case awsAccessKey
    case awsSecretKey
    case githubToken
    case gitlabToken
    case slackToken
    case slackWebhook
    case privateKey
    case jwt
    case bearerToken
    /// A secret from the gateway's own configuration (a key, a token, a backend's credential).
    case gatewaySecret

    public var name: String {
        switch self {
        case .awsAccessKey: return "aws_access_key"
        case .awsSecretKey: return "aws_secret_key"
        case .githubToken: return "github_token"
        case .gitlabToken: return "gitlab_token"
        case .slackToken: return "slack_token"
        case .slackWebhook: return "slack_webhook"
        case .privateKey: return "private_key"
        case .jwt: return "jwt"
        case .bearerToken: return "bearer_token"
        case .gatewaySecret: return "gateway_secret"
        }
    }

    /// What replaces a value: ASCII without a quote or a backslash, so it can stand anywhere
    /// inside a JSON string.
    public var replacement: [UInt8] { Array("[redacted:\(name)]".utf8) }
}

/// How many values of each kind one scan replaced.
public struct RedactionCounts: Sendable, Equatable, CustomStringConvertible {
    private var counts = [Int](repeating: 0, count: SecretKind.allCases.count)

    public init() {}

    public subscript(kind: SecretKind) -> Int {
        get { counts[kind.rawValue] }
        set { counts[kind.rawValue] = newValue }
    }

    public var total: Int { counts.reduce(0, +) }

    public var isEmpty: Bool { total == 0 }

    public mutating func add(_ other: RedactionCounts) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    /// `aws_access_key=1,github_token=2`: kinds and counts, never a value (one word, for a log field).
    public var description: String {
        SecretKind.allCases.filter { self[$0] > 0 }.map { "\($0.name)=\(self[$0])" }.joined(separator: ",")
    }
}
