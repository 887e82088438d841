// The call stage of `security.pinning: enforce`: a call to a tool whose definition changed,
// that is new or renamed on an approved server, or whose pins are not trusted is refused with
// -32004 naming the server, the tool and what changed. `/mcp/{backend}`'s relayed
// `tools/list` answer loses those tools too, so no path shows what no path may call.
// In `warn` mode there is no stage: flags travel on the catalog entries instead.

import GatewayGovernance
import MCPProtocol

public struct PinningStage: CallStage {
    let registry: PinRegistry

    public init(registry: PinRegistry) {
        self.registry = registry
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        switch call.operation {
        case .tool(let tool):
            if let status = registry.status(server: call.server, tool: tool), !status.isPinned {
                return .refused(Self.refusal(server: call.server, tool: tool, status: status))
            }
            return await next(call)
        case .relayed(method: "tools/list"):
            let outcome = await next(call)
            guard case .result(let result) = outcome, let filtered = filter(result.bytes, server: call.server) else { return outcome }
            return .result(RawJSON(filtered))
        default:
            return await next(call)
        }
    }

    static func refusal(server: String, tool: String, status: PinStatus) -> GovernanceRefusal {
        var data = JSONObject()
        data["server"] = .string(server)
        data["tool"] = .string(tool)
        data["change"] = .string(status.kind)
        if case .changed(let fields) = status { data["fields"] = .array(fields.map(JSONValue.string)) }
        if case .renamed(let from) = status { data["from"] = .string(from) }
        let message = "Tool '\(tool)' of server '\(server)' is held by tool pinning: \(status.change) since it was approved. "
            + "An operator can review it with `mcp-gateway tools diff \(server)` and accept it with `mcp-gateway tools approve \(server):\(tool)`."
        return GovernanceRefusal(reason: .pinned(change: "\(server):\(tool) \(status.change)"),
                                 error: JSONRPCErrorObject(code: GovernanceErrorCode.toolChanged, message: message, data: .object(data)))
    }

    /// The `tools/list` result without the held tools; nil when nothing is held (the bytes
    /// are relayed as they came).
    func filter(_ result: [UInt8], server: String) -> [UInt8]? {
        // A complete list (one page) is what the backend serves now: record it first, so a
        // change the catalog has not seen yet is judged already.
        if let page = try? ToolDefinition.parsePage(result), page.nextCursor == nil {
            _ = registry.admit(server: server, tools: page.tools)
        }
        guard let members = try? JSONScanner.members(of: result),
              let tools = members.first(where: { $0.key == "tools" }),
              let elements = try? JSONScanner.elements(of: result, in: tools.range) else { return nil }
        var kept: [Range<Int>] = []
        for element in elements {
            guard let toolMembers = try? JSONScanner.members(of: result, in: element),
                  let nameMember = toolMembers.first(where: { $0.key == "name" }),
                  let name = JSONScanner.string(in: result, range: nameMember.range) else {
                kept.append(element)
                continue
            }
            if let status = registry.status(server: server, tool: name), !status.isPinned { continue }
            kept.append(element)
        }
        guard kept.count != elements.count else { return nil }
        var out: [UInt8] = Array(result[..<tools.range.lowerBound])
        out.append(UInt8(ascii: "["))
        for (index, range) in kept.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: result[range])
        }
        out.append(UInt8(ascii: "]"))
        out.append(contentsOf: result[tools.range.upperBound...])
        return out
    }
}
