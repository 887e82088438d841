// `mcp-gateway cluster new-key`: prints a new session key for the instances of one service
// (MCP_GATEWAY_SESSION_KEYS, docs/deploy.md "Several instances").

import ArgumentParser
import GatewaySealing

struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Tools for running several gateway instances as one service.",
        subcommands: [ClusterNewKeyCommand.self])
}

struct ClusterNewKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-key",
        abstract: "Print a new random session key (32 bytes, base64) for MCP_GATEWAY_SESSION_KEYS.",
        discussion: """
            Every instance of one service gets the same keys, newest first, separated by commas. To rotate, \
            put a new key in front on every instance, then drop the old one once its sessions have ended \
            (a session id lives 24 hours at most).
            """)

    func run() async throws {
        print(SealingKeyRing.newKey())
    }
}
