// The pipeline's last step: `tools/call` on the backend, the result relayed as bytes.

import GatewayBackends
import GatewayCapabilities
import MCPProtocol

public struct BackendCallStage: Sendable {
    let pool: BackendPool
    let capabilities: CapabilityCatalog?

    public init(pool: BackendPool, capabilities: CapabilityCatalog? = nil) {
        self.pool = pool
        self.capabilities = capabilities
    }

    public func call(_ call: ToolCall) async -> CallOutcome {
        if let capabilities, call.server == capabilities.serverName {
            switch await capabilities.call(tool: call.tool, arguments: call.arguments) {
            case .result(let result): return .result(result)
            case .unknownTool:
                return .backendError(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "Unknown tool: \(call.tool)"))
            }
        }
        guard let backend = pool.backend(named: call.server) else {
            return .failure(.unreachable("no backend named '\(call.server)'"))
        }
        var params: [UInt8] = Array("{\"name\":".utf8)
        JSONWriter.writeString(call.tool, into: &params)
        params.append(contentsOf: ",\"arguments\":".utf8)
        params.append(contentsOf: call.arguments)
        params.append(UInt8(ascii: "}"))
        do {
            let reply = try await backend.request(method: "tools/call", params: params[...], hooks: call.hooks)
            if let result = reply.resultRaw { return .result(result) }
            return .backendError(reply.errorValue() ?? JSONRPCErrorObject(code: JSONRPCErrorCode.internalError, message: "empty reply"))
        } catch {
            return .failure(error)
        }
    }
}
