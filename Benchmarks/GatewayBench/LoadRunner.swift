// A load of C client tasks, each with its own MCP session, sharing a budget of N requests (a
// shared ticket counter); warm-up requests run first and are not recorded. Closed loop by
// default (a client sends as soon as its last answer is in); with a rate, request number i is
// due at start + i/rate, so the clients are busy only part of the time, as agents are.

import AsyncHTTPClient
import Synchronization

struct LoadPlan: Sendable {
    var concurrency: Int
    var requests: Int
    var warmup: Int
    /// Hard bound on the measured phase; a run cut short reports fewer requests.
    var maxDuration: Duration
    /// Requests per second in all, measured phase only; nil: closed loop.
    var rate: Double? = nil
    /// The process tree under test, and the backend's, whose CPU time the phase reports.
    var cpu: ProcessTreeCPU? = nil
    var backendCPU: ProcessTreeCPU? = nil
}

/// Builds the body of request number `sequence` (ids come from the session).
typealias RequestBuilder = @Sendable (_ session: inout MCPHTTPSession, _ sequence: Int) -> [UInt8]
/// Says whether an answer counts as a success.
typealias AnswerCheck = @Sendable (_ exchange: RPCExchange, _ sequence: Int) -> Bool

struct LoadOutcome: Sendable {
    var summary: LatencySummary
    var firstError: String?
    var truncated: Bool
    /// CPU per call of the measured phase (nil without --cpu-pid).
    var cpu: CPUPerCall?

    /// The latency fields, then the CPU ones when measured.
    var fields: [(String, JSONNumberOrText)] { summary.fields + (cpu?.fields ?? []) }
    var humanLine: String { summary.humanLine + (cpu.map { "\n" + $0.humanLine } ?? "") }
}

enum LoadRunner {
    static func run(client: HTTPClient, url: String, plan: LoadPlan, settings: SessionSettings = SessionSettings(),
                    build: @escaping RequestBuilder, check: @escaping AnswerCheck) async throws -> LoadOutcome {
        var sessions = try await openSessions(client: client, url: url, count: plan.concurrency, settings: settings)
        if plan.warmup > 0 {
            (sessions, _) = await phase(sessions, requests: plan.warmup, deadline: .now + plan.maxDuration,
                                        build: build, check: check)
        }
        let cpuBefore = plan.cpu?.sample(), backendBefore = plan.backendCPU?.sample()
        let started = ContinuousClock.now
        let (_, merged) = await phase(sessions, requests: plan.requests, deadline: started + plan.maxDuration,
                                      schedule: plan.rate.map { (started, $0) }, build: build, check: check)
        let wall = ContinuousClock.now - started
        let calls = merged.samples.count + merged.errors
        var cpu: CPUPerCall?
        if let probe = plan.cpu, let cpuBefore {
            var spent = probe.spent(from: cpuBefore, to: probe.sample())
            if let backend = plan.backendCPU, let backendBefore {
                let backendSpent = backend.spent(from: backendBefore, to: backend.sample())
                spent.backendNanoseconds += backendSpent.nanoseconds + backendSpent.backendNanoseconds
                spent.precise = spent.precise && backendSpent.precise
            }
            cpu = CPUPerCall(spent: spent, calls: calls)
        }
        let summary = LatencySummary(samples: merged.samples, errors: merged.errors, wall: wall)
        return LoadOutcome(summary: summary, firstError: merged.firstError,
                           truncated: calls < plan.requests, cpu: cpu)
    }

    static func openSessions(client: HTTPClient, url: String, count: Int,
                             settings: SessionSettings = SessionSettings()) async throws -> [MCPHTTPSession] {
        try await withThrowingTaskGroup(of: MCPHTTPSession.self) { group in
            for _ in 0..<count {
                group.addTask {
                    var session = MCPHTTPSession(client: client, url: url, settings: settings)
                    try await session.open()
                    return session
                }
            }
            var opened: [MCPHTTPSession] = []
            for try await session in group { opened.append(session) }
            return opened
        }
    }

    struct WorkerResult: Sendable {
        var samples: [Int64] = []
        var errors = 0
        var firstError: String?

        mutating func absorb(_ other: WorkerResult) {
            samples.append(contentsOf: other.samples)
            errors += other.errors
            if firstError == nil { firstError = other.firstError }
        }
    }

    /// `schedule`: when request 0 is due and how many a second follow. A request sent late,
    /// because its client was still waiting for an earlier answer, counts its latency from
    /// when it was due: that wait is part of what a caller on that schedule sees.
    static func phase(_ sessions: [MCPHTTPSession], requests: Int, deadline: ContinuousClock.Instant,
                      schedule: (start: ContinuousClock.Instant, rate: Double)? = nil,
                      build: @escaping RequestBuilder, check: @escaping AnswerCheck) async -> ([MCPHTTPSession], WorkerResult) {
        let tickets = TicketCounter()
        let perWorker = requests / max(sessions.count, 1) + 16
        return await withTaskGroup(of: (MCPHTTPSession, WorkerResult).self) { group in
            for session in sessions {
                group.addTask {
                    var session = session
                    var result = WorkerResult()
                    result.samples.reserveCapacity(perWorker)
                    while ContinuousClock.now < deadline {
                        let sequence = tickets.take()
                        guard sequence < requests else { break }
                        // A client still busy past a request's due time counts from then; one
                        // that slept counts from when it woke (the timer's own slack is not latency).
                        var late: ContinuousClock.Instant?
                        if let schedule {
                            let due = schedule.start + .nanoseconds(Int64(Double(sequence) / schedule.rate * 1e9))
                            if due > ContinuousClock.now {
                                try? await Task.sleep(until: due, tolerance: .zero)
                            } else {
                                late = due
                            }
                        }
                        let body = build(&session, sequence)
                        let sent = late ?? ContinuousClock.now
                        do {
                            let exchange = try await session.post(body)
                            let elapsed = ContinuousClock.now - sent
                            if check(exchange, sequence) {
                                result.samples.append(elapsed.nanoseconds)
                            } else {
                                result.errors += 1
                                if result.firstError == nil { result.firstError = "HTTP \(exchange.status): \(exchange.excerpt)" }
                            }
                        } catch {
                            result.errors += 1
                            if result.firstError == nil { result.firstError = "\(error)" }
                        }
                    }
                    return (session, result)
                }
            }
            var finished: [MCPHTTPSession] = []
            var merged = WorkerResult()
            merged.samples.reserveCapacity(requests)
            for await (session, result) in group {
                finished.append(session)
                merged.absorb(result)
            }
            return (finished, merged)
        }
    }
}

/// Hands out request numbers 0, 1, 2, ... to the workers.
final class TicketCounter: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
