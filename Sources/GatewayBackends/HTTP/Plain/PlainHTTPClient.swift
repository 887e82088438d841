// A lean HTTP/1.1 client for `http://` backends: keep-alive connections pooled per origin,
// one exchange per connection at a time. It does per call a fraction of what
// AsyncHTTPClient does (no request state machines, no per-part resumptions of the caller);
// TLS backends still go through AsyncHTTPClient.

import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

final class PlainHTTPClient: Sendable {
    static let shared = PlainHTTPClient()

    /// Idle connections kept per origin; more are closed once their answer has ended.
    static let maximumIdlePerOrigin = 64
    static let connectTimeout: TimeAmount = .seconds(5)

    private let idle = Mutex<[String: [PlainHTTPConnection]]>([:])

    /// Sends one request; returns when the whole answer is in or, for an event stream, when
    /// its head is. `deadline` bounds the wait for a whole answer (for a stream, for its head).
    /// Cancelling the calling task, or dropping a stream, closes the connection.
    func send(_ target: HTTPTarget, method: HTTPMethod, headers: HTTPHeaders, body: [UInt8]?,
              deadline: NIODeadline?) async throws -> BackendHTTPResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target.pathAndQuery, headers: headers)
        head.headers.replaceOrAdd(name: "host", value: target.hostHeader)
        let here = MultiThreadedEventLoopGroup.currentEventLoop
        if let reused = takeIdle(target.origin, preferring: here) {
            do {
                return try await send(head, body: body, on: reused, origin: target.origin, deadline: deadline)
            } catch PlainHTTPExchange.Failure.closedBeforeAnswer where !Task.isCancelled {
                // The server closed it while it sat idle: it never saw this request.
            }
        }
        let fresh = try await PlainHTTPConnection.connect(to: target, on: here, connectTimeout: Self.connectTimeout)
        return try await send(head, body: body, on: fresh, origin: target.origin, deadline: deadline)
    }

    private func send(_ head: HTTPRequestHead, body: [UInt8]?, on connection: PlainHTTPConnection, origin: String,
                      deadline: NIODeadline?) async throws -> BackendHTTPResponse {
        let exchange = PlainHTTPExchange()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiter in
                exchange.wait(waiter)
                connection.start(exchange, head: head, body: body, deadline: deadline) { [self] in
                    giveBack(connection, origin: origin)
                }
            }
        } onCancel: {
            exchange.fail(CancellationError())
            connection.close()
        }
    }

    /// An idle connection to `origin`, one on `loop` if there is one: a caller running on an
    /// event loop then talks to the backend without waking another thread.
    private func takeIdle(_ origin: String, preferring loop: (any EventLoop)?) -> PlainHTTPConnection? {
        idle.withLock { pool in
            if let loop, let index = pool[origin]?.lastIndex(where: { $0.channel.eventLoop === loop }) {
                let connection = pool[origin]?.remove(at: index)
                if let connection, connection.channel.isActive { return connection }
            }
            while let connection = pool[origin]?.popLast() {
                if connection.channel.isActive { return connection }
            }
            return nil
        }
    }

    private func giveBack(_ connection: PlainHTTPConnection, origin: String) {
        let kept = idle.withLock { pool -> Bool in
            guard pool[origin, default: []].count < Self.maximumIdlePerOrigin else { return false }
            pool[origin, default: []].append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}
