// What the gateway does to a backend between calls: health pings (`failsafe.health_check`),
// the idle stop of a stdio backend (`stop_when_idle_for`), and retiring a session, which both
// use: the session stops taking new calls at once (the next call starts a new one) and is
// closed when its calls in flight are over, or at the latest when their deadline has passed,
// so a restart never cuts a call short.

import MCPProtocol

extension Backend {
    public enum HealthProbe: Sendable, Equatable {
        /// Nothing to ping: the backend is not running.
        case notRunning
        case answered
        /// No answer in time; `missed` in a row so far.
        case missed(Int)
        /// Missed `failureThreshold` in a row: the session was retired and a new one started.
        case restarted
    }

    /// Pings the running session. Any answer counts, an error included: a backend that says
    /// "unknown method" is alive. A 2026-07-28 backend has no `ping`; it is asked `server/discover`.
    public func probeHealth(timeout: Duration, failureThreshold: Int) async -> HealthProbe {
        guard !stopped, let session = runningSession() else {
            missedPings = 0
            return .notRunning
        }
        let method = session.era == .modern ? "server/discover" : "ping"
        do throws(BackendError) {
            _ = try await session.request(method: method, params: nil, timeout: timeout)
            if self.session === session { missedPings = 0 }
            return .answered
        } catch .remote {
            if self.session === session { missedPings = 0 }
            return .answered
        } catch {
            // The session was replaced meanwhile (a restart, an expiry): this miss is not the new one's.
            guard self.session === session else { return .notRunning }
            missedPings += 1
            guard missedPings >= failureThreshold else { return .missed(missedPings) }
            let reason = "did not answer \(missedPings) health checks in a row (\(error)); restarted"
            logger.warning("\(reason)")
            missedPings = 0
            retire(session, reason: reason)
            state = .starting
            lastError = reason
            // Started again now rather than by the next call: its tools stay listed and the
            // next caller does not wait for the start.
            Task { _ = try? await self.liveSession() }
            return .restarted
        }
    }

    /// Stops a stdio backend whose last call ended `stop_when_idle_for` ago or longer and that
    /// has nothing in flight; the next call starts it again. True if it was stopped.
    @discardableResult
    public func stopIfIdle() -> Bool {
        guard let limit = settings.stopWhenIdleFor, settings.transport.isStdio, !stopped,
              let session = runningSession(), session.connection.inFlight == 0 else { return false }
        let idle = (ContinuousClock.now - Self.epoch).saturatingNanoseconds - lastCallAt.load(ordering: .relaxed)
        guard idle >= limit.saturatingNanoseconds else { return false }
        logger.info("stopping after \(limit) without a call; the next call starts it again")
        retire(session, reason: "stopped when idle")
        state = .stopped
        stoppedWhenIdle = true
        return true
    }

    /// An operator's restart (the dashboard's button): the running session is retired (its
    /// calls in flight finish on it) and a new one started at once, counted as a restart.
    /// False when the backend is stopped for good or disabled.
    public func restart(reason: String) -> Bool {
        guard !stopped, settings.enabled else { return false }
        logger.notice("\(reason)")
        if let session = runningSession() { retire(session, reason: reason) }
        missedPings = 0
        state = .starting
        Task { _ = try? await self.liveSession() }
        return true
    }

    /// Takes `session` out of service: new calls start a new session; this one is closed once
    /// its calls in flight are over (they keep their own deadlines, so this waits at most the
    /// backend's timeout and a little).
    func retire(_ session: BackendSession, reason: String) {
        if self.session === session { setSession(nil) }
        let process = session.transport as? StdioTransport
        if let process, process === stdioTransport { stdioTransport = nil }
        let grace = settings.timeout + .seconds(1)
        Task {
            // A call that read the session just before it was retired registers its request
            // within microseconds: give it that moment before counting what is in flight.
            try? await Task.sleep(for: .milliseconds(50))
            let deadline = ContinuousClock.now + grace
            while session.connection.inFlight > 0, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            await session.close()
            await process?.close()
        }
    }
}

extension Backend {
    /// Stops the backend once its calls in flight are over, or after `limit` (a reload removed
    /// or replaced it: no new call reaches it through the pool).
    public func drainAndStop(within limit: Duration, reason: String) async {
        let deadline = ContinuousClock.now + limit
        while let session = runningSession(), session.connection.inFlight > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        stopReason = reason
        await stop()
    }
}
