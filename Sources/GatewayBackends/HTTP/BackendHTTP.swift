// Sends one request to an HTTP backend: `http://` through the lean PlainHTTPClient, TLS
// through AsyncHTTPClient, both answering as a BackendHTTPResponse.

import AsyncHTTPClient
import NIOCore
import NIOHTTP1

enum BackendHTTP {
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
