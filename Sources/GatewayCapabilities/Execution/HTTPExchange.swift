// Sends one prepared request: vets the host against the SSRF rules (every hop of a redirect too),
// connects to the vetted address itself (PinnedClient), bounds the time and the size of the answer.

import AsyncHTTPClient
import GatewayConfig
import MCPProtocol
import NIOCore

/// The answer to one request, fully read.
struct HTTPAnswer: Sendable {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// The URL that answered (after redirects), for messages.
    var url: URLParts

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

struct HTTPExchange: Sendable {
    let client: HTTPClient
    let guardian: SSRFGuard
    /// Test hook: `https://api.example.com` → `http://127.0.0.1:PORT`, applied before the SSRF check.
    let originOverrides: [String: String]
    static let maxResponseBytes = CapabilityLimits.maxResponseBytes

    func send(_ prepared: PreparedRequest, timeout: Duration, credentialHeaders: Set<String>)
        async throws(CapabilityCallError) -> HTTPAnswer {
        var request = prepared
        var redirects = 0
        while true {
            guard var target = URLParts(request.url) else { throw .invalidURL(prepared.redacting(request.url)) }
            if let replacement = originOverrides[target.origin], let overridden = URLParts(replacement + target.rest) {
                target = overridden
            }
            let answer = try await sendOnce(request, to: target, timeout: timeout, prepared: prepared)
            guard RedirectPolicy.isRedirect(answer.status), let location = answer.header("location") else { return answer }
            redirects += 1
            guard redirects <= RedirectPolicy.maxRedirects else { throw .tooManyRedirects }
            guard let next = RedirectPolicy.target(of: location, from: target) else {
                throw .invalidURL(prepared.redacting(location))
            }
            do {
                request = try RedirectPolicy.follow(request, status: answer.status, to: next, from: target,
                                                    credentialHeaders: credentialHeaders)
            } catch .crossOriginRedirectWithBody(let from, let to) {
                throw .crossOriginRedirectWithBody(from: prepared.redacting(from), to: prepared.redacting(to))
            }
        }
    }

    private func sendOnce(_ request: PreparedRequest, to target: URLParts, timeout: Duration,
                          prepared: PreparedRequest) async throws(CapabilityCallError) -> HTTPAnswer {
        let vetted = try await guardian.vet(host: target.host)
        // Plain HTTP goes to the address just checked (no second lookup a rebinding name could answer
        // differently), the name kept in the Host header; HTTPS through a client pinned to it.
        var connectURL = target.text
        var headers = request.headers
        if target.scheme == "http", IPNetwork.parseAddress(target.host) == nil {
            var pinned = target
            pinned.host = IPNetwork.format(vetted.address)
            connectURL = pinned.text
            headers.append(("Host", target.authority))
        }
        var outgoing = HTTPClientRequest(url: connectURL)
        outgoing.method = .init(rawValue: request.method)
        for header in headers { outgoing.headers.add(name: header.name, value: header.value) }
        // The gateway's exchange span (tracing on): the API's own tracing continues the trace.
        if let trace = TraceContextPropagation.outbound {
            outgoing.headers.replaceOrAdd(name: "traceparent", value: trace.traceparent)
            if let state = trace.tracestate { outgoing.headers.replaceOrAdd(name: "tracestate", value: state) }
        }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        guard PinnedClient.isNeeded(for: target) else {
            return try await execute(outgoing, on: client, target: target, timeout: timeout, prepared: prepared)
        }
        let pinned = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: PinnedClient.configuration(pinning: target.host, to: vetted.address))
        let result: Result<HTTPAnswer, CapabilityCallError>
        do throws(CapabilityCallError) {
            result = .success(try await execute(outgoing, on: pinned, target: target, timeout: timeout, prepared: prepared))
        } catch {
            result = .failure(error)
        }
        try? await pinned.shutdown()
        return try result.get()
    }

    private func execute(_ outgoing: HTTPClientRequest, on client: HTTPClient, target: URLParts, timeout: Duration,
                         prepared: PreparedRequest) async throws(CapabilityCallError) -> HTTPAnswer {
        do {
            return try await withDeadline(timeout) {
                let response = try await client.execute(outgoing, timeout: .nanoseconds(timeout.saturatingNanoseconds))
                var body = try await response.body.collect(upTo: Self.maxResponseBytes)
                let bytes = body.readBytes(length: body.readableBytes) ?? []
                return HTTPAnswer(status: Int(response.status.code), reason: response.status.reasonPhrase,
                                  headers: response.headers.map { ($0.name, $0.value) }, body: bytes, url: target)
            }
        } catch let error as CapabilityCallError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .responseTooLarge(Self.maxResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timeout(timeout)
        } catch {
            throw .network(prepared.redacting(describe(error)))
        }
    }

    private func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("connectionRefused") || text.contains("ECONNREFUSED")
            || text.contains("Connection refused") {
            return "cannot connect (\(text.prefix(160)))"
        }
        return String(text.prefix(200))
    }

    /// Runs `operation`, failing with `.timeout` when it takes longer than `limit`.
    private func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw CapabilityCallError.timeout(limit)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CapabilityCallError.timeout(limit) }
            return first
        }
    }
}
