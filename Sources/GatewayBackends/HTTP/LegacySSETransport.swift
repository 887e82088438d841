// The 2024-11-05 HTTP+SSE transport toward a backend: GET opens the event stream, whose
// `endpoint` event names the URL to POST messages to; replies arrive on the stream.

import AsyncHTTPClient
import Foundation
import Logging
import MCPProtocol
import NIOCore
import NIOHTTP1
import Synchronization

public final class LegacySSETransport: MessageTransport {
    public var kind: String { "sse" }
    let url: String
    let headers: [String: String]
    let client: HTTPClient
    let logger: Logger
    let connectTimeout: Duration
    private let state = Mutex<State>(State())

    struct State {
        var endpoint: HTTPTarget?
        var readTask: Task<Void, Never>?
        var closed = false
    }

    public init(url: String, headers: [String: String], client: HTTPClient, connectTimeout: Duration, logger: Logger) {
        self.url = url
        self.headers = headers
        self.client = client
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    public func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        guard let target = HTTPTarget(url) else { throw .unreachable("\(url): not a valid URL") }
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        fields.replaceOrAdd(name: "accept", value: "text/event-stream")
        let (url, client) = (self.url, self.client)
        let endpointSignal = EndpointSignal()
        let task = Task { [weak self] in
            do {
                let response = try await BackendHTTP.send(client, to: target, method: .GET, headers: fields)
                guard response.status == 200, case .stream(let chunks) = response.body else {
                    endpointSignal.fail(.http(status: response.status, detail: "GET did not open an event stream"))
                    return
                }
                var parser = SSEParser()
                for try await chunk in chunks {
                    for event in parser.feed(chunk.readableBytesView) {
                        if event.type == "endpoint" {
                            switch LegacySSEEndpointOrigin.resolve(event.data, streamURL: url) {
                            case .success(let endpoint):
                                self?.state.withLock { $0.endpoint = endpoint }
                                endpointSignal.succeed()
                            case .failure(let refusal):
                                // Nothing is ever posted to a refused endpoint: the stream ends
                                // here, and with it the backend (a later event cannot redirect
                                // the messages of a running one either).
                                self?.state.withLock { $0.endpoint = nil }
                                endpointSignal.fail(refusal)
                                receiver(.closed(reason: refusal.description))
                                return
                            }
                        } else if event.type == "message", !event.data.isEmpty {
                            receiver(.message(Array(event.data.utf8), relatedRequest: nil))
                        }
                    }
                    if parser.exceeded { throw HTTPBodyReader.EventTooLarge() }
                }
                endpointSignal.fail(.closed("event stream ended"))
                receiver(.closed(reason: "event stream ended"))
            } catch {
                endpointSignal.fail(.unreachable("\(url): \(error)"))
                receiver(.closed(reason: "event stream failed: \(error)"))
            }
        }
        state.withLock { $0.readTask = task }
        try await endpointSignal.wait(timeout: connectTimeout)
    }

    public func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        guard let endpoint = state.withLock({ $0.closed ? nil : $0.endpoint }) else { throw .closed("no endpoint") }
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        fields.replaceOrAdd(name: "content-type", value: "application/json")
        if let trace = TraceContextPropagation.outbound { BackendHTTP.addTraceHeaders(trace, to: &fields) }
        do {
            let response = try await BackendHTTP.send(client, to: endpoint, method: .POST, headers: fields, body: message,
                                                      deadline: .now() + .seconds(30))
            let status = response.status
            guard (200..<300).contains(status) else {
                throw BackendError.http(status: status, detail: await HTTPBodyReader.excerpt(response))
            }
        } catch let error as BackendError {
            throw error
        } catch {
            throw .unreachable("\(endpoint.url): \(error)")
        }
    }

    public func close() async {
        let task = state.withLock { state in
            state.closed = true
            return state.readTask
        }
        task?.cancel()
    }
}

/// One-shot signal for "the endpoint event arrived" with a timeout.
final class EndpointSignal: Sendable {
    private let state = Mutex<(done: Bool, error: BackendError?, waiter: CheckedContinuation<Void, any Error>?)>((false, nil, nil))

    func succeed() { resolve(nil) }
    func fail(_ error: BackendError) { resolve(error) }

    private func resolve(_ error: BackendError?) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            guard !s.done else { return nil }
            s.done = true
            s.error = error
            defer { s.waiter = nil }
            return s.waiter
        }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }

    func wait(timeout: Duration) async throws(BackendError) {
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.fail(.timeout(seconds: Double(timeout.components.seconds)))
        }
        defer { timer.cancel() }
        do {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let immediate = state.withLock { s -> (Bool, BackendError?) in
                    if s.done { return (true, s.error) }
                    s.waiter = c
                    return (false, nil)
                }
                if immediate.0 {
                    if let e = immediate.1 { c.resume(throwing: e) } else { c.resume() }
                }
            }
        } catch let error as BackendError {
            throw error
        } catch {
            throw .protocolError("\(error)")
        }
    }
}
