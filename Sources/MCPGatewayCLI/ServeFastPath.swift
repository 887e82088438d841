// Start-up fast path: the usual ways of starting the gateway (`mcp-gateway`, `mcp-gateway
// serve --config F --port N ...`) are read here instead of by ArgumentParser, whose
// reflection over the command tree costs ~40M instructions (~40 % of the time to the first
// answered /health, callgrind; BENCHMARKS.md). Anything else (help, other commands, a bad or
// repeated value) returns nil and goes through ArgumentParser, which owns every message.

enum ServeFastPath {
    /// Every option name ServeCommand declares, with whether it takes a value. A test checks
    /// this against ServeCommand's own help so that the two cannot drift apart.
    static let knownOptions: [String: Bool] = [
        "-c": true, "--config": true, "--host": true, "-p": true, "--port": true,
        "--log-level": true, "--log-format": true, "--stdio": false,
    ]

    /// The serve options for `arguments` (without the program name), or nil when
    /// ArgumentParser should read them.
    static func parse(_ arguments: [String]) -> ServeOptions? {
        var remaining = arguments[...]
        if remaining.first == "serve" { remaining = remaining.dropFirst() }
        var options = ServeOptions()
        var seen: Set<String> = []
        while let argument = remaining.popFirst() {
            var name = argument
            var value: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard let takesValue = knownOptions[name], seen.insert(canonical(name)).inserted else { return nil }
            if !takesValue {
                guard value == nil else { return nil }
                options.stdio = true
                continue
            }
            if value == nil {
                guard let next = remaining.popFirst(), !next.hasPrefix("-") || Int(next) != nil else { return nil }
                value = next
            }
            guard let value else { return nil }
            switch canonical(name) {
            case "--config": options.config = value
            case "--host": options.host = value
            case "--port":
                guard let port = Int(value) else { return nil }
                options.port = port
            case "--log-level": options.logLevel = value
            case "--log-format": options.logFormat = value
            default: return nil
            }
        }
        // Invalid values get ArgumentParser's usage message.
        guard (try? options.validate()) != nil else { return nil }
        return options
    }

    private static func canonical(_ name: String) -> String {
        switch name {
        case "-c": return "--config"
        case "-p": return "--port"
        default: return name
        }
    }
}
