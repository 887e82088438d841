// The call side of a backend's tool shaping (ToolShaper), on every entry path: a tool call
// names the tool as clients see it; this stage, the last before the backend, maps the name
// back, refuses a name no shaped list shows (as an unknown tool), rewrites the arguments by the
// tool's `arguments` rules, and cuts a result past `max_result_bytes`. `/mcp/{backend}`'s
// relayed `tools/list` answer is shaped here too, so the stages before it (pinning, scopes)
// and the client see the same shaped tools as the catalog. It is in the chain only while some
// backend shapes its tools: the other backends' calls pay one dictionary lookup (the shapers
// are taken from the pool when the chain is built, which a reload does after replacing
// backends, so no lock is taken per call).

import GatewayBackends
import GatewayGovernance
import MCPProtocol

public struct ToolShapingStage: CallStage {
    let pool: BackendPool
    /// Backend name -> its shaping, for the backends that shape.
    let shapers: [String: ToolShaper]

    public init(pool: BackendPool) {
        self.pool = pool
        var shapers: [String: ToolShaper] = [:]
        for backend in pool.backends { if let shaper = backend.shaper { shapers[backend.name] = shaper } }
        self.shapers = shapers
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        guard let shaper = shapers[call.server] else { return await next(call) }
        switch call.operation {
        case .tool(let exposed):
            guard let original = shaper.originalName(ofExposed: exposed) else {
                return .refused(.hidden(rule: "backends.\(call.server) tool shaping", wholeServer: false,
                                        unknownNameError: JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams,
                                                                             message: "Unknown tool: \(exposed)")))
            }
            let rules = shaper.argumentRules(for: original)
            let outcome: CallOutcome
            if original == exposed, rules == nil {
                // Nothing to rewrite: the call goes on as it came (no copy of it).
                outcome = await next(call)
            } else {
                var shaped = call
                if original != exposed { shaped.backendTool = original }
                if let rules { shaped.arguments = rules.shapeArguments(call.arguments) }
                outcome = await next(shaped)
            }
            guard let limit = shaper.maxResultBytes, case .result(let result) = outcome, result.bytes.count > limit else {
                return outcome
            }
            let declaresOutputSchema = await pool.backend(named: call.server)?.backendTool(named: original)
                .map(Self.declaresOutputSchema) ?? false
            guard let cut = ResultTruncation.cut(result.bytes, limit: limit, server: call.server,
                                                 declaresOutputSchema: declaresOutputSchema) else { return outcome }
            return .result(RawJSON(cut))
        case .relayed(method: "tools/list"):
            let outcome = await next(call)
            guard case .result(let result) = outcome, let shapedList = Self.shapeList(result.bytes, with: shaper) else { return outcome }
            return .result(RawJSON(shapedList))
        default:
            return await next(call)
        }
    }

    /// A `tools/list` result with its page of tools shaped; nil when it cannot be read (relayed as it came).
    static func shapeList(_ result: [UInt8], with shaper: ToolShaper) -> [UInt8]? {
        guard let page = try? ToolDefinition.parsePage(result), case .object(var object)? = try? JSONParser.parse(result) else {
            return nil
        }
        object["tools"] = .array(shaper.shape(page.tools).tools.map { .raw($0.raw) })
        return JSONWriter.encode(.object(object))
    }

    static func declaresOutputSchema(_ tool: ToolDefinition) -> Bool {
        guard let members = try? JSONScanner.members(of: tool.raw.bytes) else { return false }
        return members.contains { $0.key == "outputSchema" }
    }
}
