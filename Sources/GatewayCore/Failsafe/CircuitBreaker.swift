// One backend's circuit breaker (`failsafe.circuit_breaker`), as a state machine over an
// injected clock so it is tested in microseconds. Closed: calls pass; `failure_threshold`
// consecutive failures, or an error rate over a window, open it. Open: calls are refused at
// once until `reset_timeout` has passed. Half-open: exactly one probe at a time is let
// through (the reference lets every caller probe at once, which is the stampede a breaker is
// there to prevent); `success_threshold` successful probes in a row close it, any failure
// opens it again. Only timeouts and transport failures count as failures: an answer is a
// success, also a JSON-RPC error or a tool's `isError` (the backend is up and said so).

import GatewayConfig

struct CircuitBreaker: Sendable {
    enum State: Sendable, Equatable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen(probing: Bool, successes: Int)

        var name: String {
            switch self {
            case .closed: return "closed"
            case .open: return "open"
            case .halfOpen: return "half_open"
            }
        }
    }

    /// What a call may do.
    enum Admission: Sendable, Equatable {
        case call
        /// The one call let through while half-open; its outcome decides.
        case probe
        case refuse(retryAfterMs: Int)
    }

    /// A finished call, as the breaker counts it.
    enum Result: Sendable {
        case success
        case failure(String)
        /// Refused before reaching the backend (a limit, a budget): says nothing about it.
        case neither
    }

    var settings: CircuitBreakerSettings
    private(set) var state = State.closed
    private(set) var consecutiveFailures = 0
    /// The failure that opened it, for the refusal's message and /health.
    private(set) var lastFailure: String?
    private(set) var opened = 0
    /// Calls and failures in `buckets` slices of the window (a ring indexed by slice number).
    private var buckets: [(slice: Int64, calls: Int, failures: Int)]
    /// The slice `now` is in, and when it ends: most calls fall in the current slice, and
    /// finding a slice from an instant is 128-bit arithmetic on `Duration`.
    private var currentSlice: Int64 = -1
    private var currentSliceEnds: ContinuousClock.Instant?
    static let bucketCount = 10

    /// Where the window's slices are counted from.
    private let origin: ContinuousClock.Instant

    init(settings: CircuitBreakerSettings, origin: ContinuousClock.Instant) {
        self.settings = settings
        self.origin = origin
        buckets = Array(repeating: (-1, 0, 0), count: Self.bucketCount)
    }

    mutating func admit(now: ContinuousClock.Instant) -> Admission {
        switch state {
        case .closed:
            return .call
        case .open(let until):
            guard now >= until else { return .refuse(retryAfterMs: Self.milliseconds(until - now)) }
            state = .halfOpen(probing: true, successes: 0)
            return .probe
        case .halfOpen(let probing, let successes):
            // Another call waits for the probe's verdict; retry soon.
            guard !probing else { return .refuse(retryAfterMs: min(1000, Self.milliseconds(settings.resetTimeout))) }
            state = .halfOpen(probing: true, successes: successes)
            return .probe
        }
    }

    mutating func record(_ result: Result, probe: Bool, now: ContinuousClock.Instant) {
        if probe {
            guard case .halfOpen(_, let successes) = state else { return }
            switch result {
            case .success:
                if successes + 1 >= settings.successThreshold {
                    close()
                } else {
                    state = .halfOpen(probing: false, successes: successes + 1)
                }
            case .failure(let why):
                open(now: now, because: why)
            case .neither:
                state = .halfOpen(probing: false, successes: successes)
            }
            return
        }
        // Calls admitted before the breaker opened say nothing more once it has. (A pattern,
        // not `==`: comparing the enum goes through its generic metadata on every call.)
        guard case .closed = state else { return }
        switch result {
        case .success:
            consecutiveFailures = 0
            count(failed: false, now: now)
        case .failure(let why):
            consecutiveFailures += 1
            count(failed: true, now: now)
            if consecutiveFailures >= settings.failureThreshold {
                open(now: now, because: "\(consecutiveFailures) failures in a row (last: \(why))")
            } else if let rate = settings.errorRate, let (calls, failures) = windowCounts(now: now),
                      calls >= settings.minimumCalls, Double(failures) >= rate * Double(calls) {
                open(now: now, because: "\(failures) of its last \(calls) calls failing (last: \(why))")
            }
        case .neither:
            break
        }
    }

    private mutating func open(now: ContinuousClock.Instant, because why: String) {
        state = .open(until: now + settings.resetTimeout)
        lastFailure = why
        opened += 1
    }

    private mutating func close() {
        state = .closed
        consecutiveFailures = 0
        buckets = Array(repeating: (-1, 0, 0), count: Self.bucketCount)
    }

    /// The window's slice number of `now` (time since an arbitrary origin, in slices).
    private func slice(_ now: ContinuousClock.Instant) -> Int64 {
        let width = max(1, settings.window.saturatingNanoseconds / Int64(Self.bucketCount))
        return max(0, (now - origin).saturatingNanoseconds) / width
    }

    private mutating func sliceNumber(_ now: ContinuousClock.Instant) -> Int64 {
        if let ends = currentSliceEnds, now < ends, currentSlice >= 0 { return currentSlice }
        currentSlice = slice(now)
        let width = max(1, settings.window.saturatingNanoseconds / Int64(Self.bucketCount))
        currentSliceEnds = origin + .nanoseconds((currentSlice + 1) * width)
        return currentSlice
    }

    private mutating func count(failed: Bool, now: ContinuousClock.Instant) {
        guard settings.errorRate != nil else { return }
        let current = sliceNumber(now)
        let index = Int(current % Int64(Self.bucketCount))
        if buckets[index].slice != current { buckets[index] = (current, 0, 0) }
        buckets[index].calls += 1
        if failed { buckets[index].failures += 1 }
    }

    private mutating func windowCounts(now: ContinuousClock.Instant) -> (calls: Int, failures: Int)? {
        let current = sliceNumber(now)
        var calls = 0, failures = 0
        for bucket in buckets where bucket.slice > current - Int64(Self.bucketCount) {
            calls += bucket.calls
            failures += bucket.failures
        }
        return (calls, failures)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int((duration.saturatingNanoseconds + 999_999) / 1_000_000))
    }
}
