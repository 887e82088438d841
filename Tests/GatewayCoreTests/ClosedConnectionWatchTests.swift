// The watch that turns a closed 2026-07-28 connection into a cancellation: a connection that
// goes away while its request is pending is reported once; a request answered within the
// first interval is never checked.

import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import GatewayServer

@Suite struct ClosedConnectionWatchTests {
    @Test(.timeLimit(.minutes(1))) func aClosedConnectionIsReportedOnce() async throws {
        let watch = ClosedConnectionWatch()
        let channel = EmbeddedChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        let reports = Atomic<Int>(0)
        let (reported, signal) = AsyncStream<Void>.makeStream()
        _ = watch.watch(channel) {
            reports.add(1, ordering: .relaxed)
            signal.yield()
        }
        _ = try await channel.close().get()
        for await _ in reported { break }
        try await Task.sleep(for: ClosedConnectionWatch.interval * 3)
        #expect(reports.load(ordering: .relaxed) == 1)
    }

    @Test func anAnsweredRequestIsNotReported() async throws {
        let watch = ClosedConnectionWatch()
        let channel = EmbeddedChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        let reports = Atomic<Int>(0)
        let token = watch.watch(channel) { reports.add(1, ordering: .relaxed) }
        watch.unwatch(token)
        _ = try await channel.close().get()
        try await Task.sleep(for: ClosedConnectionWatch.interval * 3)
        #expect(reports.load(ordering: .relaxed) == 0)
    }
}
