// The audit trail's member of the admin /health report: where it writes, lines written,
// dropped (buffer full) and lost to write errors, and the last write error.

import GatewayGovernance
import MCPProtocol

enum AuditHealth {
    static func report(_ state: AuditTrail.State) -> JSONValue {
        var entry = JSONObject()
        entry["path"] = .string(state.destination)
        entry["written"] = .int(state.written)
        entry["dropped"] = .int(state.dropped)
        entry["failed"] = .int(state.failed)
        entry["last_error"] = state.lastError.map { .string($0) } ?? .null
        return .object(entry)
    }
}
