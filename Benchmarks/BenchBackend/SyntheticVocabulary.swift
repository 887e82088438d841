// Word lists for the synthetic tool catalog: product domains with their nouns, verbs with
// description templates, and qualifiers. Realistic words so search has something to rank.

struct ToolDomain: Sendable {
    /// Name prefix, e.g. "github".
    let key: String
    /// Human name used in descriptions, e.g. "GitHub".
    let product: String
    /// The parameter that scopes every call, e.g. "repository".
    let scope: String
    let scopeDescription: String
    let nouns: [String]
}

struct ToolVerb: Sendable {
    let key: String
    /// Sentence with {noun}, {nouns} and {product} placeholders.
    let template: String
    let readOnly: Bool
    let shape: ArgumentShape
}

/// Which arguments a verb takes besides the domain's scope parameter.
enum ArgumentShape: Sendable {
    case createFields, updateFields, identified, collection, search, source, destination, recipients
}

struct ToolQualifier: Sendable {
    /// Name suffix ("" for the plain tool).
    let suffix: String
    /// Sentence appended to the description.
    let sentence: String
}

enum SyntheticVocabulary {
    static let domains: [ToolDomain] = [
        ToolDomain(key: "github", product: "GitHub", scope: "repository", scopeDescription: "Repository as owner/name",
                   nouns: ["issue", "pull_request", "branch", "commit", "release", "workflow_run", "label", "gist"]),
        ToolDomain(key: "slack", product: "Slack", scope: "channel", scopeDescription: "Channel name or ID",
                   nouns: ["message", "thread", "reaction", "user_group", "file", "reminder", "bookmark"]),
        ToolDomain(key: "jira", product: "Jira", scope: "project_key", scopeDescription: "Project key such as OPS",
                   nouns: ["ticket", "sprint", "epic", "board", "worklog", "component"]),
        ToolDomain(key: "postgres", product: "PostgreSQL", scope: "database", scopeDescription: "Database name",
                   nouns: ["table", "row", "index", "query_plan", "schema", "view", "role"]),
        ToolDomain(key: "s3", product: "Amazon S3", scope: "bucket", scopeDescription: "Bucket name",
                   nouns: ["object", "bucket_policy", "presigned_url", "lifecycle_rule", "object_version"]),
        ToolDomain(key: "calendar", product: "Google Calendar", scope: "calendar_id", scopeDescription: "Calendar identifier",
                   nouns: ["event", "attendee", "reminder", "free_busy_slot", "recurring_series"]),
        ToolDomain(key: "gmail", product: "Gmail", scope: "mailbox", scopeDescription: "Mailbox address",
                   nouns: ["email", "draft", "label", "attachment", "filter", "conversation"]),
        ToolDomain(key: "fs", product: "the local filesystem", scope: "root", scopeDescription: "Allowed root directory",
                   nouns: ["file", "directory", "symlink", "permission", "zip_archive", "file_checksum"]),
        ToolDomain(key: "k8s", product: "Kubernetes", scope: "namespace", scopeDescription: "Kubernetes namespace",
                   nouns: ["pod", "deployment", "service", "config_map", "secret", "cron_job", "node"]),
        ToolDomain(key: "docker", product: "Docker", scope: "host", scopeDescription: "Docker daemon host",
                   nouns: ["container", "image", "volume", "network", "container_log"]),
        ToolDomain(key: "stripe", product: "Stripe", scope: "account", scopeDescription: "Connected account ID",
                   nouns: ["payment", "customer", "invoice", "subscription", "refund", "payout", "coupon"]),
        ToolDomain(key: "salesforce", product: "Salesforce", scope: "org", scopeDescription: "Salesforce org alias",
                   nouns: ["lead", "opportunity", "account", "contact", "case", "campaign"]),
        ToolDomain(key: "notion", product: "Notion", scope: "workspace", scopeDescription: "Workspace ID",
                   nouns: ["page", "database", "block", "comment", "property"]),
        ToolDomain(key: "confluence", product: "Confluence", scope: "space", scopeDescription: "Space key",
                   nouns: ["page", "attachment", "blog_post", "comment", "page_template"]),
        ToolDomain(key: "weather", product: "the weather service", scope: "location", scopeDescription: "City name or lat,lon",
                   nouns: ["forecast", "severe_weather_alert", "observation", "air_quality_index", "sunrise_time"]),
        ToolDomain(key: "maps", product: "the maps service", scope: "region", scopeDescription: "Region or country code",
                   nouns: ["route", "place", "geocode", "distance_matrix", "traffic_report"]),
        ToolDomain(key: "translate", product: "the translation service", scope: "target_language",
                   scopeDescription: "ISO 639-1 language code", nouns: ["text", "document", "glossary", "detected_language"]),
        ToolDomain(key: "pdf", product: "the PDF toolkit", scope: "document", scopeDescription: "Path to the PDF",
                   nouns: ["page", "form_field", "annotation", "extracted_text", "embedded_image", "signature"]),
        ToolDomain(key: "sheets", product: "Google Sheets", scope: "spreadsheet_id", scopeDescription: "Spreadsheet ID",
                   nouns: ["worksheet", "cell_range", "chart", "formula", "pivot_table"]),
        ToolDomain(key: "browser", product: "the headless browser", scope: "tab", scopeDescription: "Browser tab ID",
                   nouns: ["web_page", "screenshot", "cookie", "dom_element", "network_request"]),
        ToolDomain(key: "sentry", product: "Sentry", scope: "organization", scopeDescription: "Organization slug",
                   nouns: ["error_issue", "error_event", "release", "alert_rule", "stack_trace"]),
        ToolDomain(key: "datadog", product: "Datadog", scope: "site", scopeDescription: "Datadog site, e.g. datadoghq.eu",
                   nouns: ["metric", "monitor", "dashboard", "log_entry", "incident", "slo"]),
        ToolDomain(key: "pagerduty", product: "PagerDuty", scope: "service", scopeDescription: "PagerDuty service ID",
                   nouns: ["incident", "on_call_schedule", "escalation_policy", "maintenance_window"]),
        ToolDomain(key: "twilio", product: "Twilio", scope: "phone_number", scopeDescription: "Sender phone number in E.164",
                   nouns: ["sms_message", "voice_call", "call_recording", "verification_code"]),
        ToolDomain(key: "zoom", product: "Zoom", scope: "user", scopeDescription: "Zoom user email",
                   nouns: ["meeting", "cloud_recording", "webinar", "participant", "meeting_transcript"]),
        ToolDomain(key: "dropbox", product: "Dropbox", scope: "folder", scopeDescription: "Folder path",
                   nouns: ["file", "folder", "shared_link", "file_revision"]),
        ToolDomain(key: "youtube", product: "YouTube", scope: "channel_id", scopeDescription: "YouTube channel ID",
                   nouns: ["video", "playlist", "video_comment", "caption_track", "video_analytics"]),
        ToolDomain(key: "shopify", product: "Shopify", scope: "store", scopeDescription: "Store domain",
                   nouns: ["product", "order", "customer", "inventory_item", "discount_code", "fulfillment"]),
        ToolDomain(key: "hubspot", product: "HubSpot", scope: "portal", scopeDescription: "HubSpot portal ID",
                   nouns: ["contact", "deal", "company", "support_ticket", "note"]),
        ToolDomain(key: "redis", product: "Redis", scope: "instance", scopeDescription: "Redis URL",
                   nouns: ["key", "hash", "stream_entry", "list", "sorted_set"]),
        ToolDomain(key: "git", product: "a local git repository", scope: "repo_path", scopeDescription: "Path to the repository",
                   nouns: ["commit", "branch", "tag", "diff", "stash", "blame"]),
        ToolDomain(key: "time", product: "the time service", scope: "timezone", scopeDescription: "IANA timezone name",
                   nouns: ["current_time", "timezone_offset", "duration", "calendar_date"]),
    ]

    static let verbs: [ToolVerb] = [
        ToolVerb(key: "create", template: "Create a new {noun} in {product}.", readOnly: false, shape: .createFields),
        ToolVerb(key: "get", template: "Get one {noun} from {product} by its ID, with all fields.", readOnly: true, shape: .identified),
        ToolVerb(key: "list", template: "List {nouns} in {product}, newest first, one page at a time.", readOnly: true, shape: .collection),
        ToolVerb(key: "update", template: "Update fields of an existing {noun} in {product}.", readOnly: false, shape: .updateFields),
        ToolVerb(key: "delete", template: "Delete a {noun} from {product} permanently.", readOnly: false, shape: .identified),
        ToolVerb(key: "search", template: "Search {nouns} in {product} by keywords and filters.", readOnly: true, shape: .search),
        ToolVerb(key: "export", template: "Export {nouns} from {product} as CSV or JSON.", readOnly: true, shape: .destination),
        ToolVerb(key: "import", template: "Import {nouns} into {product} from a local file.", readOnly: false, shape: .source),
        ToolVerb(key: "archive", template: "Archive a {noun} in {product}: hidden from views but kept.", readOnly: false, shape: .identified),
        ToolVerb(key: "restore", template: "Restore an archived or deleted {noun} in {product}.", readOnly: false, shape: .identified),
        ToolVerb(key: "sync", template: "Synchronize {nouns} between {product} and the local cache.", readOnly: false, shape: .collection),
        ToolVerb(key: "validate", template: "Validate a {noun} in {product} and report every problem found.", readOnly: true, shape: .identified),
        ToolVerb(key: "summarize", template: "Summarize recent {nouns} in {product} in plain language.", readOnly: true, shape: .collection),
        ToolVerb(key: "count", template: "Count {nouns} in {product} that match a filter.", readOnly: true, shape: .search),
        ToolVerb(key: "watch", template: "Subscribe to changes of {nouns} in {product} and report new ones.", readOnly: true, shape: .collection),
        ToolVerb(key: "share", template: "Share a {noun} in {product} with people or groups.", readOnly: false, shape: .recipients),
        ToolVerb(key: "copy", template: "Copy a {noun} within {product}, keeping its fields.", readOnly: false, shape: .identified),
        ToolVerb(key: "download", template: "Download a {noun} from {product} to a local path.", readOnly: true, shape: .destination),
        ToolVerb(key: "upload", template: "Upload a local file to {product} as a {noun}.", readOnly: false, shape: .source),
        ToolVerb(key: "describe", template: "Describe the schema and settings of a {noun} in {product}.", readOnly: true, shape: .identified),
    ]

    static let qualifiers: [ToolQualifier] = [
        ToolQualifier(suffix: "", sentence: "Returns the result as JSON."),
        ToolQualifier(suffix: "_batch", sentence: "Batch variant: works on up to 100 items in one call."),
        ToolQualifier(suffix: "_by_owner", sentence: "Limited to items owned by the given user."),
        ToolQualifier(suffix: "_dry_run", sentence: "Dry run: reports what would change without changing anything."),
        ToolQualifier(suffix: "_async", sentence: "Runs in the background and returns a job ID to poll."),
    ]
}
