// What a backend's settings say about each of its calls, compiled once per config: the
// deadline of a call of each tool (`tool_timeouts`, else the backend's `timeout`, which is
// `server.request_timeout` unless written) and which tools the operator says may run twice
// (`idempotent_tools`, and the server's own hints under `trust_annotations`).

import GatewayConfig
import GatewayGovernance

struct BackendCallRules: Sendable {
    let timeout: Duration
    private let exactTimeouts: [String: Duration]
    private let globTimeouts: [(glob: Glob, timeout: Duration)]
    private let idempotentTools: [Glob]
    let trustAnnotations: Bool

    init(settings: BackendSettings) {
        timeout = settings.timeout
        var exact: [String: Duration] = [:]
        var globs: [(glob: Glob, timeout: Duration)] = []
        for entry in settings.toolTimeouts {
            let glob = Glob(entry.tool)
            if glob.isLiteral {
                if exact[entry.tool] == nil { exact[entry.tool] = entry.timeout }
            } else {
                globs.append((glob, entry.timeout))
            }
        }
        exactTimeouts = exact
        globTimeouts = globs
        idempotentTools = settings.idempotentTools.map(Glob.init)
        trustAnnotations = settings.trustAnnotations
    }

    /// Whether every call has the backend's timeout (no per-tool entries): the common case,
    /// answered without a lookup.
    var isUniform: Bool { exactTimeouts.isEmpty && globTimeouts.isEmpty }

    /// The deadline of one call of `tool` (nil: not a tool call), counted from its start.
    func timeout(forTool tool: String?) -> Duration {
        guard let tool, !isUniform else { return timeout }
        if let exact = exactTimeouts[tool] { return exact }
        return globTimeouts.first { $0.glob.matches(tool) }?.timeout ?? timeout
    }

    /// Whether the operator listed `tool` in `idempotent_tools`.
    func isListedIdempotent(_ tool: String) -> Bool {
        idempotentTools.contains { $0.matches(tool) }
    }
}
