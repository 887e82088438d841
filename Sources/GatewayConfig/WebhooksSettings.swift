// `webhooks:`: endpoints other services POST events to (`POST {base_path}/{id}`), each checked
// with an HMAC-SHA256 signature over the raw body, bounded in size and rate, refused when
// replayed, and kept as the latest events of the resource `gateway://webhooks/{id}`, whose
// subscribers are sent `notifications/resources/updated`. No section: no endpoint.

public struct WebhooksSettings: Sendable, Equatable {
    public static let defaultBasePath = "/webhooks"
    public static let defaultSignatureHeader = "X-Signature-256"

    /// `base_path`: where the endpoints are, `{base_path}/{id}`.
    public var basePath: String
    /// `require_signature`: an endpoint without a `secret` is refused at load (default true).
    public var requireSignature: Bool
    /// `rate_limit`: posts accepted per minute per endpoint.
    public var ratePerMinute: Int
    /// `max_body_size`: a longer post is refused with 413.
    public var maxBodySize: Int
    /// `keep`: events kept per endpoint (the resource shows the latest first).
    public var keep: Int
    /// `replay_window`: how long a delivery is remembered (a second post of it is refused) and how
    /// far a signed timestamp may be from now.
    public var replayWindow: Duration
    public var endpoints: [WebhookEndpointSettings]

    public init(basePath: String = WebhooksSettings.defaultBasePath, requireSignature: Bool = true, ratePerMinute: Int = 100,
                maxBodySize: Int = 256 * 1024, keep: Int = 50, replayWindow: Duration = .seconds(300),
                endpoints: [WebhookEndpointSettings] = []) {
        self.basePath = basePath
        self.requireSignature = requireSignature
        self.ratePerMinute = ratePerMinute
        self.maxBodySize = maxBodySize
        self.keep = keep
        self.replayWindow = replayWindow
        self.endpoints = endpoints
    }

    /// The server name webhook resources go by in access rules (`webhooks:gateway://webhooks/*`).
    public static let serverName = "webhooks"
}

public struct WebhookEndpointSettings: Sendable, Equatable {
    /// `[A-Za-z0-9_-]+`: the last path segment and the resource's name.
    public var id: String
    public var description: String
    /// `secret`: the HMAC-SHA256 key; nil only with `require_signature: false`.
    public var secret: String?
    /// `signature_header`: holds the hex digest, bare or `sha256=` prefixed (GitHub's form).
    public var signatureHeader: String
    /// `timestamp_header`: when set, the signed text is `{timestamp}.{body}` and the timestamp
    /// (Unix seconds) must be within `replay_window` of now.
    public var timestampHeader: String?
    /// `event_header`: the header naming the event's type (`X-GitHub-Event`); without it the
    /// body's `type` or `event` member is used.
    public var eventHeader: String?

    public init(id: String, description: String = "", secret: String? = nil,
                signatureHeader: String = WebhooksSettings.defaultSignatureHeader, timestampHeader: String? = nil,
                eventHeader: String? = nil) {
        self.id = id
        self.description = description
        self.secret = secret
        self.signatureHeader = signatureHeader
        self.timestampHeader = timestampHeader
        self.eventHeader = eventHeader
    }
}
