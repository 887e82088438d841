// The entry points: parse YAML text, load one file, or find and load the config the way the CLI does.

import Foundation
import Yams

/// Reads gateway.yaml into a `GatewayConfig`, reporting every problem at once.
public enum ConfigLoader {
    /// Parses config text. `file` is used in diagnostics and becomes `sourcePath`; `environment` feeds `${VAR}`.
    /// An empty file, or one with only comments, is a valid config with all defaults.
    public static func parse(yaml: String, file: String, environment: [String: String]) -> ConfigParseResult {
        let root: Node?
        do {
            // No implicit tags: the decoder reads every scalar's text itself, and Yams' default
            // resolver compiles seven ICU regular expressions on first use (~9M instructions,
            // 12% of the start-up before the first /health; BENCHMARKS.md).
            root = try Yams.compose(yaml: yaml, .basic)
        } catch {
            return ConfigParseResult(
                config: nil, diagnostics: [YAMLSyntaxDiagnostic.diagnostic(for: error, yaml: yaml, file: file)]
            )
        }
        var decoder = ConfigDecoder(file: file, environment: environment)
        let config = decoder.decodeDocument(root, sourcePath: file)
        return ConfigParseResult(config: config, diagnostics: decoder.diagnostics)
    }

    /// Reads and parses one file (for example, again on hot reload).
    public static func load(file path: String, environment: [String: String]) -> ConfigParseResult {
        switch readText(atPath: path) {
        case .success(let text):
            return parse(yaml: text, file: path, environment: environment)
        case .failure(let problem):
            return ConfigParseResult(config: nil, diagnostics: [fileDiagnostic(path, problem.message)])
        }
    }

    /// Finds the config the way the CLI does and loads it. Order: `explicitPath` (--config), then
    /// `$MCP_GATEWAY_CONFIG`, then `ConfigDiscovery.searchList`, then `GatewayConfig.builtinDefault`.
    /// A path given by --config or $MCP_GATEWAY_CONFIG must exist; the search list's files are optional.
    public static func load(
        explicitPath: String?,
        environment: [String: String],
        currentDirectory: String,
        homeDirectory: String,
        systemDirectory: String = ConfigDiscovery.systemDirectory
    ) -> ConfigLoadResult {
        let resolve = { (path: String) in
            ConfigDiscovery.resolve(path, currentDirectory: currentDirectory, homeDirectory: homeDirectory)
        }
        if let explicitPath {
            let path = resolve(explicitPath)
            return loadNamed(path, source: .explicitPath(path), origin: "--config", environment: environment)
        }
        if let named = environment[ConfigDiscovery.environmentVariable], !named.isEmpty {
            let path = resolve(named)
            return loadNamed(path, source: .environmentVariable(path),
                             origin: "$\(ConfigDiscovery.environmentVariable)", environment: environment)
        }
        let local = ConfigDiscovery.workingDirectoryFile(currentDirectory: currentDirectory)
        let ignored = FileManager.default.fileExists(atPath: local) ? local : nil
        var searched: [String] = []
        for path in ConfigDiscovery.searchList(
            currentDirectory: currentDirectory, homeDirectory: homeDirectory, systemDirectory: systemDirectory
        ) {
            searched.append(path)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let parsed = load(file: path, environment: environment)
            var result = ConfigLoadResult(
                source: .discovered(path), config: parsed.config, diagnostics: parsed.diagnostics, searchedPaths: searched
            )
            result.ignoredWorkingDirectoryFile = path == ignored ? nil : ignored
            return result
        }
        var result = ConfigLoadResult(
            source: .builtinDefault, config: .builtinDefault, diagnostics: [], searchedPaths: searched
        )
        result.ignoredWorkingDirectoryFile = ignored
        return result
    }

    private static func loadNamed(
        _ path: String, source: ConfigSource, origin: String, environment: [String: String]
    ) -> ConfigLoadResult {
        guard FileManager.default.fileExists(atPath: path) else {
            let diagnostic = fileDiagnostic(path, "config file named by \(origin) does not exist")
            return ConfigLoadResult(source: source, config: nil, diagnostics: [diagnostic], searchedPaths: [path])
        }
        let parsed = load(file: path, environment: environment)
        return ConfigLoadResult(source: source, config: parsed.config, diagnostics: parsed.diagnostics, searchedPaths: [path])
    }

    private struct ReadProblem: Error {
        let message: String
    }

    private static func readText(atPath path: String) -> Result<String, ReadProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ReadProblem(message: "config file does not exist"))
        }
        if isDirectory.boolValue {
            return .failure(ReadProblem(message: "is a directory, not a config file"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReadProblem(message: "config file cannot be read"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ReadProblem(message: "config file is not valid UTF-8"))
        }
        return .success(text)
    }

    private static func fileDiagnostic(_ path: String, _ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(severity: .error, file: path, line: 0, column: 0, path: "", message: message)
    }
}
