// Sends one request to an HTTP backend: `http://` through the lean PlainHTTPClient, TLS
// through AsyncHTTPClient, both answering as a BackendHTTPResponse.

import AsyncHTTPClient
import MCPProtocol
import NIOCore
import NIOHTTP1

enum BackendHTTP {
    /// The W3C headers of the gateway's exchange span (tracing on): the backend's own
    /// tracing, if any, continues the trace.
    static func addTraceHeaders(_ trace: TraceContextFields, to fields: inout HTTPHeaders) {
        fields.replaceOrAdd(name: "traceparent", value: trace.traceparent)
        if let state = trace.tracestate { fields.replaceOrAdd(name: "tracestate", value: state) }
    }

    static func send(_ client: HTTPClient, to target: HTTPTarget, method: HTTPMethod, headers: HTTPHeaders,
                     body: [UInt8]? = nil, deadline: NIODeadline? = nil) async throws -> BackendHTTPResponse {
        if target.isPlain {
            return try await PlainHTTPClient.shared.send(target, method: method, headers: headers, body: body, deadline: deadline)
        }
        var request = HTTPClientRequest(url: target.url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, deadline: deadline ?? .distantFuture)
        let status = Int(response.status.code)
        guard BackendHTTPResponse.isEventStream(response.headers) else {
            let collected = try await response.body.collect(upTo: BackendHTTPResponse.maximumBody)
            return BackendHTTPResponse(status: status, headers: response.headers, body: .complete(Array(collected.readableBytesView)))
        }
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        let pump = Task {
            do {
                for try await chunk in response.body { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in pump.cancel() }
        return BackendHTTPResponse(status: status, headers: response.headers, body: .stream(stream))
    }
}
