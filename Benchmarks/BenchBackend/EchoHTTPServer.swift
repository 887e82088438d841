// --echo-http: the ceiling of this machine for an HTTP JSON-RPC relay. A bare Hummingbird
// endpoint that reads each POST's body and answers it with the same fixed JSON-RPC result,
// with no MCP at all (no parsing, no sessions): what the gateway's HTTP front costs when it
// does nothing. The result carries gateway-bench's default echo text, so
// `gateway-bench invoke --mode direct` counts its answers as successes.

import Hummingbird
import NIOCore

enum EchoHTTPServer {
    /// The answer to every POST (the id is fixed: nothing is parsed).
    static let fixedReply = Array(
        #"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hello from gateway-bench"}]}}"#.utf8)
    static let maximumBody = 16 * 1024 * 1024

    static func run(port: Int) async throws {
        let reply = ByteBuffer(bytes: fixedReply)
        let router = Router()
        let answer: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            _ = try await request.body.collect(upTo: maximumBody)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: reply))
        }
        router.post("/", use: answer)
        router.post("**", use: answer)
        router.get("/health") { _, _ in Response(status: .ok) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-echo"))
        try await app.runService()
    }
}
