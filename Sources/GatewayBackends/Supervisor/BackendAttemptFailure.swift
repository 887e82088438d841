// A failed request to a backend, and whether the backend can have received it: what decides
// whether a call that may not run twice (a tool with side effects) can still be retried. A
// request counts as not received only when the gateway knows it never sent it: the backend
// could not be started or connected, or its session had expired and the new one could not be
// opened. Anything after the write began counts as received, whatever the error.

public struct BackendAttemptFailure: Error, Sendable {
    public let error: BackendError
    public let reachedBackend: Bool

    public init(_ error: BackendError, reachedBackend: Bool) {
        self.error = error
        self.reachedBackend = reachedBackend
    }
}
