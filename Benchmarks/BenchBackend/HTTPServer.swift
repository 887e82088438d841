// The --http front end: MCP Streamable HTTP at /mcp answering every POST with JSON (never an
// event stream), minting Mcp-Session-Id on initialize; GET has no stream (405). A bare SwiftNIO
// HTTP/1.1 pipeline that answers on the event loop: the backend of an overhead measurement
// must cost as little as it can, so that the gateway in front of it is what is measured.

import NIOCore
import NIOHTTP1
import NIOPosix

enum HTTPServer {
    static func run(responder: BenchResponder, port: Int) async throws {
        let sessions = SessionRegistry()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MCPHTTPHandler(responder: responder, sessions: sessions))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        try await server.closeFuture.get()
    }
}
