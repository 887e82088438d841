// `mcp-gateway completions bash|zsh|fish`: prints a shell completion script.

import ArgumentParser

struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "completions", abstract: "Print a shell completion script.")

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell.lowercased()) else {
            throw ValidationError("unknown shell '\(shell)': use bash, zsh or fish")
        }
        print(GatewayCommand.completionScript(for: kind))
    }
}
