// `mcp-gateway cap …`: work with capabilities (REST and GraphQL APIs as tools): import an OpenAPI spec,
// validate files, list the catalog, check examples, run one capability.

import ArgumentParser

struct CapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cap",
        abstract: "Work with capabilities: REST and GraphQL API operations served as tools.",
        subcommands: [CapImportCommand.self, CapValidateCommand.self, CapListCommand.self, CapTestCommand.self, CapRunCommand.self])
}
