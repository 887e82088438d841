// The `mcp-gateway` command line: serve (the default), config validate|export, search, cap, tools, auth, audit, stats,
// ready, cluster, completions.

import ArgumentParser
import MCPProtocol

@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp-gateway",
        abstract: "One MCP endpoint in front of many MCP servers, with search-then-invoke meta-tools.",
        version: GatewayVersion.current,
        subcommands: [ServeCommand.self, ConfigCommand.self, SearchCommand.self, CapCommand.self, ToolsCommand.self, AuthCommand.self,
                      AuditCommand.self, StatsCommand.self, InitCommand.self, ImportCommand.self, DoctorCommand.self,
                      ReadyCommand.self, ClusterCommand.self,
                      CompletionsCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    /// Starting the gateway the usual way skips ArgumentParser (see ServeFastPath).
    static func main() async {
        MemoryReturn.configure()
        guard let options = ServeFastPath.parse(Array(CommandLine.arguments.dropFirst())) else {
            await main(nil)
            return
        }
        do {
            try await options.run()
        } catch {
            exit(withError: error)
        }
    }
}
