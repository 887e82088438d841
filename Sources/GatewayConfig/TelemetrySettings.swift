// `telemetry:`: what the gateway tells an operator about itself. `metrics` is the Prometheus
// endpoint `/metrics`: on by default (it costs a few thousand instructions a call), readable
// by admins, by the principals named in `readers` (a scraper's API key, token or certificate
// name), and by anyone when `/metrics` is in `auth.public_paths`. `profiles` are per-tool
// statistics kept in an SQLite file next to the persisted catalog, `retention_days` long.

public struct TelemetrySettings: Sendable, Equatable {
    public struct Metrics: Sendable, Equatable {
        public var enabled: Bool
        /// Principal names, besides admins, that may read `/metrics`.
        public var readers: [String]

        public init(enabled: Bool = true, readers: [String] = []) {
            self.enabled = enabled
            self.readers = readers
        }
    }

    public struct Profiles: Sendable, Equatable {
        public var enabled: Bool
        public var retentionDays: Int

        public init(enabled: Bool = true, retentionDays: Int = 90) {
            self.enabled = enabled
            self.retentionDays = retentionDays
        }
    }

    public var metrics: Metrics
    public var profiles: Profiles

    public init(metrics: Metrics = Metrics(), profiles: Profiles = Profiles()) {
        self.metrics = metrics
        self.profiles = profiles
    }
}
