// Backend log messages reach only the clients of the calls they can belong to, filtered by each
// client's own level; a client's level choice moves the backends' level only as the aggregate
// of every client's allows (issue 13, finding 7).

import GatewayBackends
@testable import GatewayCore
import Logging
import MCPProtocol
import Synchronization
import Testing

/// A transport that records what the connection sends and delivers what a test injects.
final class LoopbackTransport: MessageTransport {
    let kind = "loopback"
    private let receiver = Mutex<TransportReceiver?>(nil)
    private let sent = Mutex<[[UInt8]]>([])

    func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        self.receiver.withLock { $0 = receiver }
    }

    func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        sent.withLock { $0.append(message) }
    }

    func close() async {}

    func deliver(_ json: String, related: Int? = nil) {
        receiver.withLock { $0 }?(.message(Array(json.utf8), relatedRequest: related))
    }

    /// The sent message answering the backend's request `id`, once it has been sent.
    func answer(to id: String) async -> JSONRPCMessage? {
        for _ in 0..<200 {
            let found = sent.withLock { $0 }.compactMap { try? JSONRPCMessage.decode($0) }
                .first { $0.method == nil && $0.id == .string(id) }
            if let found { return found }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// The id of the sent request with `method`, once it has been sent.
    func requestID(of method: String) async -> Int? {
        for _ in 0..<200 {
            let found = sent.withLock { $0 }.compactMap { try? JSONRPCMessage.decode($0) }.first { $0.method == method }
            if case .int(let id)? = found?.id { return id }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

/// What each client's log handler heard, as "client@server:data".
final class Heard: Sendable {
    let lines = Mutex<[String]>([])

    func hooks(_ client: String) -> RequestHooks {
        RequestHooks(client: client, onLog: { server, params in
            let data = (try? params?.parsed())?["data"]?.stringValue ?? ""
            self.lines.withLock { $0.append("\(client)@\(server):\(data)") }
        })
    }
}

@Suite struct BackendLogRoutingTests {
    static func log(_ text: String, level: String = "info") -> String {
        #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"\#(level)","data":"\#(text)"}}"#
    }

    @Test func logsGoOnlyToTheClientsOfCallsInFlight() async throws {
        let transport = LoopbackTransport()
        var handlers = ConnectionHandlers()
        handlers.serverName = "alpha"
        let connection = RPCConnection(transport: transport, logger: Logger(label: "test"), handlers: handlers)
        try await connection.start()
        let heard = Heard()
        let (hooksA, hooksB) = (heard.hooks("A"), heard.hooks("B"))
        transport.deliver(Self.log("before any call"))
        async let first = connection.request(method: "a1", params: nil, timeout: .seconds(10), hooks: hooksA)
        async let second = connection.request(method: "a2", params: nil, timeout: .seconds(10), hooks: hooksA)
        async let third = connection.request(method: "b", params: nil, timeout: .seconds(10), hooks: hooksB)
        let a1 = try #require(await transport.requestID(of: "a1"))
        let a2 = try #require(await transport.requestID(of: "a2"))
        let b = try #require(await transport.requestID(of: "b"))
        // Untagged (stdio): each client with a call in flight, once, however many calls it has.
        transport.deliver(Self.log("untagged"))
        // Tagged with B's call (it came on that call's reply stream): B alone.
        transport.deliver(Self.log("tagged"), related: b)
        transport.deliver(#"{"jsonrpc":"2.0","id":\#(b),"result":{}}"#)
        _ = try await third
        transport.deliver(Self.log("after B finished"))
        // Tagged with a call that is over: nobody.
        transport.deliver(Self.log("late"), related: b)
        transport.deliver(#"{"jsonrpc":"2.0","id":\#(a1),"result":{}}"#)
        transport.deliver(#"{"jsonrpc":"2.0","id":\#(a2),"result":{}}"#)
        _ = try await (first, second)
        transport.deliver(Self.log("after every call"))
        let got = heard.lines.withLock { $0 }
        #expect(got.filter { $0.hasSuffix(":untagged") }.sorted() == ["A@alpha:untagged", "B@alpha:untagged"])
        #expect(got.filter { $0.hasSuffix(":tagged") } == ["B@alpha:tagged"])
        #expect(got.filter { $0.hasSuffix(":after B finished") } == ["A@alpha:after B finished"])
        #expect(!got.contains { $0.hasSuffix(":late") || $0.hasSuffix("before any call") || $0.hasSuffix("after every call") })
    }

    @Test func eachClientFiltersAtItsOwnLevel() throws {
        let quiet = ClientLogLevel(level: .error)
        let chatty = ClientLogLevel(level: .debug)
        let unset = ClientLogLevel()
        let params = RawJSON(string: #"{"level":"info","data":"x"}"#)
        #expect(BackendLogDelivery.message(server: "alpha", params: params, level: quiet) == nil)
        let delivered = try #require(BackendLogDelivery.message(server: "alpha", params: params, level: chatty))
        #expect(String(decoding: delivered, as: UTF8.self).contains(#""logger":"alpha""#))
        #expect(BackendLogDelivery.message(server: "alpha", params: params, level: unset) != nil)
        let debug = RawJSON(string: #"{"level":"debug","data":"x"}"#)
        #expect(BackendLogDelivery.message(server: "alpha", params: debug, level: unset) == nil)
        // A message without a known level is not guessed at.
        #expect(BackendLogDelivery.message(server: "alpha", params: RawJSON(string: #"{"data":"x"}"#), level: chatty) == nil)
        #expect(BackendLogDelivery.message(server: "alpha", params: RawJSON(string: #"{"level":"loud","data":"x"}"#), level: chatty) == nil)
    }

    @Test func backendsGetTheMostVerboseLevelButNeverLessThanTheDefault() {
        #expect(BackendLogLevel.aggregate([LogSeverity]()) == nil)
        #expect(BackendLogLevel.aggregate([.debug, .error]) == .debug)
        // One client asking for errors only must not silence the others' info messages.
        #expect(BackendLogLevel.aggregate([.error]) == .info)
        #expect(BackendLogLevel.aggregate([.warning, .notice]) == .info)
    }

    @Test func aClientLeavingLowersTheBackendsLevelAgain() async {
        let sent = Mutex<[LogSeverity]>([])
        let registry = BackendLogLevel { level in sent.withLock { $0.append(level) } }
        let steady = ClientLogLevel()
        await registry.choose(.warning, for: steady)
        #expect(registry.applied == .info)
        var chatty: ClientLogLevel? = ClientLogLevel()
        if let chatty { await registry.choose(.debug, for: chatty) }
        #expect(registry.applied == .debug)
        #expect(steady.threshold == .warning)
        // Choosing the level already applied sends nothing.
        await registry.choose(.warning, for: steady)
        chatty = nil
        #expect(registry.applied == .info)
        for _ in 0..<100 where sent.withLock({ $0.count }) < 3 { try? await Task.sleep(for: .milliseconds(10)) }
        #expect(sent.withLock { $0 } == [.info, .debug, .info])
        withExtendedLifetime(steady) {}
    }
}
