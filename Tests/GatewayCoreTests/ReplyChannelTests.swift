// How a POST is answered: JSON when the result comes first, an event stream (with keep-alive
// comments while idle, and resumable in a session) when a notification comes first.

import GatewayAuth
import Testing
@testable import GatewayServer
import GatewayCore
import MCPProtocol

@Suite struct ReplyChannelTests {
    let result = Array(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)
    let progress = Array(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}"#.utf8)

    func collect(_ stream: AsyncStream<[UInt8]>) async -> [String] {
        var chunks: [String] = []
        for await chunk in stream { chunks.append(String(decoding: chunk, as: UTF8.self)) }
        return chunks
    }

    @Test func resultFirstIsJSON() async {
        let channel = ReplyChannel()
        channel.finish(result)
        guard case .json(let bytes) = await channel.decision() else { Issue.record("expected JSON"); return }
        #expect(bytes == result)
    }

    @Test(.timeLimit(.minutes(1))) func idleStreamGetsKeepAlivesUntilTheAnswer() async throws {
        let channel = ReplyChannel(keepAliveInterval: .milliseconds(20))
        channel.notification(progress)
        guard case .stream(let stream) = await channel.decision() else { Issue.record("expected a stream"); return }
        // Read until a keep-alive shows up (no fixed sleep: the suite runs on loaded machines),
        // then answer; the answer must still arrive on the same stream.
        var chunks: [String] = []
        var iterator = stream.makeAsyncIterator()
        while let chunk = await iterator.next() {
            chunks.append(String(decoding: chunk, as: UTF8.self))
            if chunks.last == ": keep-alive\n\n" { break }
        }
        channel.finish(result)
        while let chunk = await iterator.next() { chunks.append(String(decoding: chunk, as: UTF8.self)) }
        #expect(chunks.first?.contains("notifications/progress") == true)
        #expect(chunks.last?.contains("\"result\"") == true)
        #expect(chunks.contains(": keep-alive\n\n"))
    }

    @Test func sessionStreamsCarryIdsAndCanBeResumed() async {
        let session = ClientSession(id: "s", context: ClientContext(principal: .unauthenticated))
        let channel = ReplyChannel(session: session)
        channel.notification(progress)
        channel.notification(progress)
        guard case .stream(let stream) = await channel.decision() else { Issue.record("expected a stream"); return }
        channel.finish(result)
        let chunks = await collect(stream)
        #expect(chunks.first?.hasPrefix("id: p1-0\n") == true)
        #expect(chunks.first?.contains("retry: ") == true)
        #expect(chunks.dropFirst().allSatisfy { $0.contains("id: p1-") })
        let resumed = await collect(session.postJournal(1)?.resume(after: 1).stream ?? AsyncStream { $0.finish() })
        #expect(resumed.count == 2)
        #expect(resumed.last?.contains("\"result\"") == true)
        #expect(PostStreamJournal.parse(eventID: "p12-7")?.stream == 12)
        #expect(PostStreamJournal.parse(eventID: "s3") == nil)
    }
}
