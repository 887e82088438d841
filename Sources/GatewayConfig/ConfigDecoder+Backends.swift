// Reads the `backends:` section: one entry per upstream MCP server, keyed by its name.

import Yams

extension ConfigDecoder {
    mutating func backendList(_ node: Node, path: String) -> [BackendSettings] {
        if node.isNull { return [] }
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of backend names to settings for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return []
        }
        var backends: [BackendSettings] = []
        for (key, value) in pairs {
            let name = key.string
            let backendPath = configPath(path, name)
            declaredBackendNames.append(name)
            if let complaint = ConfigNameRules.backendNameProblem(name) {
                error(complaint, at: key.mark, path: backendPath)
            }
            let firstDiagnostic = diagnostics.count
            let (backend, enabled) = backendSettings(name: name, nameMark: key.mark, node: value, path: backendPath)
            if !enabled {
                // A backend is often disabled precisely because its secret is not available here.
                downgradeUnsetVariableErrors(
                    since: firstDiagnostic, note: " (backend '\(name)' is disabled, so this is only a warning)"
                )
            }
            if let backend { backends.append(backend) }
        }
        return backends
    }

    /// One backend; nil when its transport could not be determined (already reported, or an A2A-only backend).
    private mutating func backendSettings(
        name: String, nameMark: Mark?, node: Node, path: String
    ) -> (backend: BackendSettings?, enabled: Bool) {
        if node.isNull {
            error("backend '\(name)' needs 'command' (a local process) or 'http_url' (a remote server)",
                  at: nameMark, path: path)
            return (nil, true)
        }
        guard let entries = supportedEntries(of: node, section: ConfigSchema.backend, path: path) else {
            return (nil, true)
        }
        var fields = BackendFields()
        for entry in entries {
            readBackendField(entry, into: &fields)
        }
        let keys = node.mappingPairsMergingKeys?.map(\.key.string) ?? []
        // An unknown key that looks like `command` or `http_url` was already reported as the real mistake.
        let misspelledTransportKey = keys.contains { key in
            !ConfigSchema.backend.allKeys.contains(key)
                && ["command", "http_url"].contains(closestSuggestion(for: key, among: ConfigSchema.backend.allKeys))
        }
        let transport = resolveTransport(
            fields, name: name, nameMark: nameMark, path: path,
            hasA2AURL: keys.contains("a2a_url"), misspelledTransportKey: misspelledTransportKey
        )
        guard let transport else { return (nil, fields.enabled) }
        let backend = BackendSettings(
            name: name,
            description: fields.description,
            transport: transport,
            env: fields.env,
            headers: fields.headers,
            cwd: fields.cwd,
            timeout: fields.timeout,
            enabled: fields.enabled,
            protocolVersion: fields.protocolVersion,
            limits: fields.limits,
            toolTimeouts: fields.toolTimeouts,
            idempotentTools: fields.idempotentTools,
            trustAnnotations: fields.trustAnnotations,
            stopWhenIdleFor: fields.stopWhenIdleFor,
            roots: fields.roots,
            shaping: fields.shaping
        )
        if !fields.timeoutWritten { backendsOnRequestTimeout.insert(name) }
        if let entry = fields.entries["stop_when_idle_for"], fields.stopWhenIdleFor != nil, !transport.isStdio {
            warning("'\(entry.path)' applies to stdio backends only (a remote server is not started by the gateway); ignored",
                    at: entry.value.mark, path: entry.path)
        }
        return (backend, fields.enabled)
    }

    private mutating func readBackendField(_ entry: MappingEntry, into fields: inout BackendFields) {
        let value = entry.value
        fields.entries[entry.key] = entry
        switch entry.key {
        case "command":
            fields.command = commandArgv(value, path: entry.path)
        case "http_url":
            fields.httpURL = string(value, path: entry.path)
        case "transport":
            fields.transport = transportName(value, path: entry.path)
        case "streamable_http":
            fields.streamableHTTP = bool(value, path: entry.path)
        case "description":
            if let description = string(value, path: entry.path) { fields.description = description }
        case "env":
            if let env = stringMap(value, path: entry.path, validateKey: ConfigNameRules.environmentNameProblem) {
                fields.env = env
            }
        case "headers":
            if let headers = stringMap(
                value, path: entry.path,
                validateKey: ConfigNameRules.headerNameProblem, validateValue: ConfigNameRules.headerValueProblem
            ) {
                fields.headers = headers
            }
        case "cwd":
            if let cwd = string(value, path: entry.path), !cwd.isEmpty {
                fields.cwd = resolvedWorkingDirectory(cwd)
            }
        case "timeout":
            if let timeout = duration(value, path: entry.path, allowZero: false) { fields.timeout = timeout }
            fields.timeoutWritten = true
        case "enabled":
            if let enabled = bool(value, path: entry.path) { fields.enabled = enabled }
        case "protocol_version":
            if let era = backendProtocol(value, path: entry.path) { fields.protocolVersion = era }
        case "rate_limit":
            if let limit = backendRateLimit(value, path: entry.path, section: ConfigSchema.backendRateLimit) {
                fields.limits.rateLimit = limit
            } else {
                fields.limits.rateLimitExempt = true
            }
        case "max_concurrent":
            fields.limits.maxConcurrent = count(value, path: entry.path, in: 1...100_000)
        case "tool_timeouts":
            fields.toolTimeouts = toolTimeouts(value, path: entry.path)
        case "idempotent_tools":
            fields.idempotentTools = stringList(value, path: entry.path)?.map(\.value) ?? []
        case "trust_annotations":
            fields.trustAnnotations = bool(value, path: entry.path) ?? false
        case "roots":
            fields.roots = backendRoots(value, path: entry.path)
        case "stop_when_idle_for":
            fields.stopWhenIdleFor = boundedDuration(value, path: entry.path, in: .seconds(1)...(.seconds(7 * 86_400)), shown: "1s to 7d")
        default:
            _ = readToolShaping(entry, into: &fields.shaping)
        }
    }

    /// `tool_timeouts: {name or glob: duration}`, in the order written.
    private mutating func toolTimeouts(_ node: Node, path: String) -> [ToolTimeout] {
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected a mapping of tool names (or globs) to durations for '\(path)', found \(node.kindDescription)",
                  at: node.mark, path: path)
            return []
        }
        var timeouts: [ToolTimeout] = []
        for (key, value) in pairs {
            let entryPath = configPath(path, key.string)
            if key.string.isEmpty {
                error("expected a tool name or glob as a key of '\(path)', found an empty string", at: key.mark, path: entryPath)
            } else if let timeout = duration(value, path: entryPath, allowZero: false) {
                timeouts.append(ToolTimeout(tool: key.string, timeout: timeout))
            }
        }
        return timeouts
    }

    /// The value of `transport`, checked against the known names.
    private mutating func transportName(_ node: Node, path: String) -> String? {
        oneOf(ConfigSchema.transportValues, node, path: path)
    }

    /// The value of `protocol_version`: `auto`, `2026-07-28` or a handshake version.
    private mutating func backendProtocol(_ node: Node, path: String) -> BackendProtocol? {
        oneOf(BackendProtocol.allValues, node, path: path).flatMap(BackendProtocol.init(configValue:))
    }

    /// A string that must be one of `values`; anything else is reported with a did-you-mean.
    mutating func oneOf(_ values: [String], _ node: Node, path: String) -> String? {
        guard let text = string(node, path: path) else { return nil }
        let value = text.trimmingBlanks()
        guard values.contains(value) else {
            let hint = closestSuggestion(for: value, among: values).map { "; did you mean '\($0)'?" }
            reportMismatch(expected: "one of " + values.joined(separator: ", "), found: text, node: node, path: path, hint: hint ?? "")
            return nil
        }
        return value
    }

    /// `~` means $HOME, and a relative directory is taken from the config file's directory (not from
    /// wherever the gateway happened to be started), so that a config means the same thing from anywhere.
    private func resolvedWorkingDirectory(_ cwd: String) -> String {
        var path = cwd
        if let home = expander.environment["HOME"], !home.isEmpty, path == "~" || path.hasPrefix("~/") {
            path = home + path.dropFirst()
        }
        guard !path.hasPrefix("/"), let slash = file.lastIndex(of: "/") else { return path }
        let directory = file[..<slash]
        return (directory.isEmpty ? "" : String(directory)) + "/" + path
    }
}

/// What one backend's keys said, before the transport is decided from them.
struct BackendFields {
    /// Entries by key, for locating follow-up messages.
    var entries: [String: MappingEntry] = [:]
    var command: [String]?
    var httpURL: String?
    var transport: String?
    var streamableHTTP: Bool?
    var description = ""
    var env: [String: String] = [:]
    var headers: [String: String] = [:]
    var cwd: String?
    var timeout = BackendSettings.defaultTimeout
    /// `timeout` was written: otherwise the backend's calls get `server.request_timeout`.
    var timeoutWritten = false
    var toolTimeouts: [ToolTimeout] = []
    var idempotentTools: [String] = []
    var trustAnnotations = false
    var stopWhenIdleFor: Duration?
    var roots: [BackendRoot]?
    var shaping = ToolShapingSettings()
    var enabled = true
    var protocolVersion = BackendProtocol.auto
    var limits = BackendLimitSettings()
}
