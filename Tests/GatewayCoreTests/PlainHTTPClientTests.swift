// The lean HTTP/1.1 client against a raw TCP server that writes its answers by hand: keep-alive
// reuse, a retry when the server closed an idle connection, event streams read as they come,
// answers that arrive before the request body is read, and deadlines.

import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing
@testable import GatewayBackends

@Suite struct PlainHTTPClientTests {
    @Test(.timeLimit(.minutes(1))) func reusesOneKeepAliveConnection() async throws {
        let server = try await RawHTTPServer { request, _ in
            .answer(RawHTTPServer.json("{\"path\":\"\(request.path)\",\"length\":\(request.body.count)}"))
        }
        defer { server.stop() }
        let client = PlainHTTPClient()
        for index in 0..<5 {
            let target = try #require(HTTPTarget("http://127.0.0.1:\(server.port)/mcp?n=\(index)"))
            let response = try await client.send(target, method: .POST, headers: [:], body: Array("hello".utf8), deadline: nil)
            #expect(response.status == 200)
            guard case .complete(let body) = response.body else { Issue.record("not a whole body"); return }
            #expect(String(decoding: body, as: UTF8.self) == "{\"path\":\"/mcp?n=\(index)\",\"length\":5}")
        }
        #expect(server.connections == 1)
    }

    @Test(.timeLimit(.minutes(1))) func sendsAgainWhenTheServerClosedAnIdleConnection() async throws {
        // Keep-alive in words, closed in deeds: the pooled connection is dead when reused.
        let server = try await RawHTTPServer { _, _ in .answerThenClose(RawHTTPServer.json("{}")) }
        defer { server.stop() }
        let client = PlainHTTPClient()
        let target = try #require(HTTPTarget("http://127.0.0.1:\(server.port)/"))
        for _ in 0..<3 {
            let response = try await client.send(target, method: .GET, headers: [:], body: nil, deadline: nil)
            #expect(response.status == 200)
        }
        #expect(server.connections == 3)
    }

    @Test(.timeLimit(.minutes(1))) func readsAnEventStreamAsItComes() async throws {
        let (release, releaseSignal) = AsyncStream<Void>.makeStream()
        let gate = Gate(release)
        let server = try await RawHTTPServer { _, write in
            write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
            write(RawHTTPServer.chunk("data: one\n\n"))
            return .later {
                await gate.wait()
                write(RawHTTPServer.chunk("data: two\n\n") + "0\r\n\r\n")
            }
        }
        defer { server.stop() }
        let target = try #require(HTTPTarget("http://127.0.0.1:\(server.port)/sse"))
        let response = try await PlainHTTPClient().send(target, method: .GET, headers: [:], body: nil, deadline: nil)
        guard case .stream(let chunks) = response.body else { Issue.record("not a stream"); return }
        var received = ""
        for try await chunk in chunks {
            received += String(decoding: chunk.readableBytesView, as: UTF8.self)
            // The first event is here before the server has written the second.
            if received == "data: one\n\n" { releaseSignal.yield() }
        }
        #expect(received == "data: one\n\ndata: two\n\n")
    }

    @Test(.timeLimit(.minutes(1))) func aSilentServerMissesTheDeadline() async throws {
        let server = try await RawHTTPServer { _, _ in .never }
        defer { server.stop() }
        let target = try #require(HTTPTarget("http://127.0.0.1:\(server.port)/"))
        await #expect(throws: PlainHTTPExchange.Failure.self) {
            _ = try await PlainHTTPClient().send(target, method: .GET, headers: [:], body: nil, deadline: .now() + .milliseconds(200))
        }
    }

    /// One timer serves a kept-alive connection: a later call's earlier deadline still holds,
    /// and a timer left from an answered call does not end the next one before its own deadline.
    @Test(.timeLimit(.minutes(1))) func eachCallOnAReusedConnectionKeepsItsOwnDeadline() async throws {
        let server = try await RawHTTPServer { request, write in
            switch request.path {
            case "/silent": return .never
            case "/slow": return .later {
                try? await Task.sleep(for: .milliseconds(1_500))
                write(RawHTTPServer.json("{}"))
            }
            default: return .answer(RawHTTPServer.json("{}"))
            }
        }
        defer { server.stop() }
        let client = PlainHTTPClient()
        func target(_ path: String) throws -> HTTPTarget { try #require(HTTPTarget("http://127.0.0.1:\(server.port)\(path)")) }
        func send(_ path: String, within deadline: TimeAmount) async throws -> Int {
            try await client.send(target(path), method: .POST, headers: [:], body: Array("x".utf8), deadline: .now() + deadline).status
        }
        // A long deadline first, then a short one on the same connection: the short one holds.
        #expect(try await send("/answered", within: .seconds(30)) == 200)
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: PlainHTTPExchange.Failure.self) { _ = try await send("/silent", within: .milliseconds(300)) }
        #expect(clock.now - started < .seconds(5))
        // A short deadline answered in time, then a longer one: the timer set for the first
        // fires during the second and must let it finish. (1 s, not less: a loaded test machine
        // can take a few hundred milliseconds to answer even a local request.)
        #expect(try await send("/answered", within: .seconds(1)) == 200)
        #expect(try await send("/slow", within: .seconds(5)) == 200)
        #expect(server.connections == 2)
    }

    @Test(.timeLimit(.minutes(1))) func cancellingTheCallerEndsTheExchange() async throws {
        let server = try await RawHTTPServer { _, _ in .never }
        defer { server.stop() }
        let target = try #require(HTTPTarget("http://127.0.0.1:\(server.port)/"))
        let call = Task { try await PlainHTTPClient().send(target, method: .GET, headers: [:], body: nil, deadline: nil) }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        await #expect(throws: CancellationError.self) { _ = try await call.value }
        // Cancelled before the request is even written.
        let early = Task { try await PlainHTTPClient().send(target, method: .GET, headers: [:], body: nil, deadline: nil) }
        early.cancel()
        await #expect(throws: CancellationError.self) { _ = try await early.value }
    }

    @Test func eventStreamsAreKnownByContentTypeInAnyCase() {
        #expect(BackendHTTPResponse.isEventStream(["Content-Type": "text/event-stream"]))
        #expect(BackendHTTPResponse.isEventStream(["content-type": "Text/Event-Stream; charset=utf-8"]))
        #expect(!BackendHTTPResponse.isEventStream(["content-type": "application/json"]))
        #expect(!BackendHTTPResponse.isEventStream(["content-type": "text/event"]))
        #expect(!BackendHTTPResponse.isEventStream([:]))
    }

    @Test func targetsTakeURLsApart() throws {
        let plain = try #require(HTTPTarget("http://127.0.0.1:8080/mcp/x?a=1&b=%20"))
        #expect(plain.isPlain && plain.host == "127.0.0.1" && plain.port == 8080)
        #expect(plain.pathAndQuery == "/mcp/x?a=1&b=%20" && plain.hostHeader == "127.0.0.1:8080")
        let bare = try #require(HTTPTarget("http://example.test"))
        #expect(bare.port == 80 && bare.pathAndQuery == "/" && bare.hostHeader == "example.test")
        let secure = try #require(HTTPTarget("https://[::1]/mcp"))
        #expect(!secure.isPlain && secure.host == "::1" && secure.port == 443 && secure.hostHeader == "[::1]")
        #expect(HTTPTarget("not a url") == nil)
    }
}

/// Lets a test hold back part of an answer until the client has read the first part.
private actor Gate {
    private var stream: AsyncStream<Void>?
    init(_ stream: AsyncStream<Void>) { self.stream = stream }
    func wait() async {
        guard let stream else { return }
        for await _ in stream { break }
    }
}

/// A TCP server that reads HTTP requests itself and writes whatever the test says, byte for byte.
private final class RawHTTPServer: Sendable {
    struct Request: Sendable {
        let path: String
        let body: [UInt8]
    }

    enum Answer: Sendable {
        case answer(String)
        case answerThenClose(String)
        case later(@Sendable () async -> Void)
        case never
    }

    typealias Responder = @Sendable (Request, _ write: @escaping @Sendable (String) -> Void) -> Answer

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private let channel: any Channel
    private let accepted = Counter()
    let port: Int
    var connections: Int { accepted.value.load(ordering: .relaxed) }

    init(_ respond: @escaping Responder) async throws {
        let accepted = self.accepted
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.value.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawRequestHandler(respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    func stop() { channel.close(promise: nil) }

    static func json(_ body: String) -> String {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    static func chunk(_ text: String) -> String {
        String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
    }
}

private final class RawRequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let respond: RawHTTPServer.Responder
    private var pending: [UInt8] = []

    init(respond: @escaping RawHTTPServer.Responder) { self.respond = respond }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending += unwrapInboundIn(data).readableBytesView
        while let request = takeRequest() {
            let channel = context.channel
            let write: @Sendable (String) -> Void = { text in channel.writeAndFlush(ByteBuffer(string: text), promise: nil) }
            switch respond(request, write) {
            case .answer(let text): write(text)
            case .answerThenClose(let text):
                channel.writeAndFlush(ByteBuffer(string: text)).whenComplete { _ in channel.close(promise: nil) }
            case .later(let rest): Task { await rest() }
            case .never: break
            }
        }
    }

    /// One whole request off the front of what has arrived (headers, then content-length bytes).
    private func takeRequest() -> RawHTTPServer.Request? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0...max(0, pending.count - 4)).first(where: { pending.count >= 4 && Array(pending[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let head = String(decoding: pending[..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let path = lines.first.map { $0.split(separator: " ") }.flatMap { $0.count > 1 ? String($0[1]) : nil } ?? "/"
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard pending.count >= end + 4 + length else { return nil }
        let body = Array(pending[(end + 4)..<(end + 4 + length)])
        pending.removeFirst(end + 4 + length)
        return RawHTTPServer.Request(path: path, body: body)
    }
}
