// A backend in memory for unit tests of the layers above the transport (`RPCConnection`,
// `Backend`, the call pipeline): each request gets what a script says — a result, a JSON-RPC
// error, an answer after a delay, no answer at all, or the connection closed — and everything
// the gateway sent is recorded, notifications included (`notifications/cancelled`). Runs in
// milliseconds, unlike a real process.

import GatewayBackends
import MCPProtocol
import Synchronization

final class ScriptedTransport: MessageTransport {
    enum Reply: Sendable {
        case result(String)
        case error(code: Int, message: String)
        /// The request is read and never answered.
        case silence
        /// The connection drops (a crash mid-call).
        case close(String)
        indirect case after(Duration, Reply)
    }

    /// What the backend answers to a request of `method` with `params`.
    typealias Script = @Sendable (_ method: String, _ params: String) -> Reply

    let kind = "scripted"
    private let script: Script
    private let state = Mutex<State>(State())

    struct State {
        var receiver: TransportReceiver?
        var closed = false
        /// Every message the gateway sent: (method, raw bytes).
        var sent: [(method: String, text: String)] = []
    }

    init(script: @escaping Script) {
        self.script = script
    }

    /// A handshake-era server that answers `initialize` and `ping` and otherwise follows `script`.
    static func server(tools: String = "[]", _ script: @escaping Script = { _, _ in .result("{}") }) -> ScriptedTransport {
        ScriptedTransport { method, params in
            switch method {
            case "initialize":
                return .result(#"{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"scripted","version":"1"}}"#)
            case "tools/list": return .result(#"{"tools":\#(tools)}"#)
            default: return script(method, params)
            }
        }
    }

    var sent: [(method: String, text: String)] { state.withLock { $0.sent } }
    func sentMethods() -> [String] { sent.map(\.method) }
    var isClosed: Bool { state.withLock { $0.closed } }

    func start(receiver: @escaping TransportReceiver) async throws(BackendError) {
        state.withLock { $0.receiver = receiver }
    }

    func send(_ message: [UInt8], relatedRequest: Int?) async throws(BackendError) {
        guard let decoded = try? JSONRPCMessage.decode(message), let method = decoded.method else { return }
        let closed = state.withLock { state -> Bool in
            if !state.closed { state.sent.append((method, String(decoding: message, as: UTF8.self))) }
            return state.closed
        }
        if closed { throw .closed("closed") }
        guard decoded.kind == .request, let id = decoded.id else { return }
        let params = decoded.params.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let reply = script(method, params)
        Task { await self.deliver(reply, to: id) }
    }

    private func deliver(_ reply: Reply, to id: JSONRPCID) async {
        switch reply {
        case .after(let delay, let then):
            try? await Task.sleep(for: delay)
            await deliver(then, to: id)
        case .silence:
            return
        case .close(let reason):
            drop(reason)
        case .result(let json):
            receive(#"{"jsonrpc":"2.0","id":\#(id.jsonText),"result":\#(json)}"#)
        case .error(let code, let message):
            receive(#"{"jsonrpc":"2.0","id":\#(id.jsonText),"error":{"code":\#(code),"message":"\#(message)"}}"#)
        }
    }

    private func receive(_ text: String) {
        let receiver = state.withLock { $0.closed ? nil : $0.receiver }
        receiver?(.message(Array(text.utf8), relatedRequest: nil))
    }

    /// Closes the connection from the backend's side.
    func drop(_ reason: String) {
        let receiver = state.withLock { state -> TransportReceiver? in
            guard !state.closed else { return nil }
            state.closed = true
            return state.receiver
        }
        receiver?(.closed(reason: reason))
    }

    func close() async { drop("closed by the gateway") }
}

extension JSONRPCID {
    var jsonText: String {
        switch self {
        case .int(let n): return String(n)
        case .string(let s): return "\"\(s)\""
        }
    }
}
