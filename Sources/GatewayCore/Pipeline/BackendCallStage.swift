// The pipeline's last step: the operation on the backend (or a capability's tool), the result
// relayed as bytes.

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

    public func call(_ call: BackendCall) async -> CallOutcome {
        if let capabilities, call.server == capabilities.serverName {
            guard let tool = call.tool else {
                return .backendError(JSONRPCErrorObject(code: JSONRPCErrorCode.methodNotFound,
                                                        message: "\(call.server) serves tools only (\(call.operation.method))"))
            }
            switch await capabilities.call(tool: tool, arguments: call.arguments) {
            case .result(let result): return .result(result)
            case .unknownTool:
                return .backendError(JSONRPCErrorObject(code: JSONRPCErrorCode.invalidParams, message: "Unknown tool: \(tool)"))
            }
        }
        guard let backend = pool.backend(named: call.server) else {
            return .failure(.unreachable("no backend named '\(call.server)'"))
        }
        let params: [UInt8]
        if let tool = call.tool {
            var wrapped: [UInt8] = Array("{\"name\":".utf8)
            JSONWriter.writeString(tool, into: &wrapped)
            wrapped.append(contentsOf: ",\"arguments\":".utf8)
            wrapped.append(contentsOf: call.arguments)
            wrapped.append(UInt8(ascii: "}"))
            params = wrapped
        } else {
            params = call.arguments
        }
        do {
            let reply = try await backend.request(method: call.operation.method, params: params.isEmpty ? nil : params[...],
                                                  hooks: call.hooks)
            if let result = reply.resultRaw { return .result(result) }
            return .backendError(reply.errorValue() ?? JSONRPCErrorObject(code: JSONRPCErrorCode.internalError, message: "empty reply"))
        } catch {
            return .failure(error)
        }
    }
}
