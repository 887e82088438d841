// Why a call to a backend failed, phrased for the person reading the tool error.

import MCPProtocol

public enum BackendError: Error, Sendable, CustomStringConvertible, Equatable {
    case spawnFailed(String)
    case timeout(seconds: Double)
    case closed(String)
    case http(status: Int, detail: String)
    case protocolError(String)
    case sessionExpired
    case cancelled
    case disabled
    case unreachable(String)
    case remote(JSONRPCErrorObject)

    public var description: String {
        switch self {
        case .spawnFailed(let s): return "could not start: \(s)"
        case .timeout(let s): return "timed out after \(Self.format(s)) s"
        case .closed(let s): return "connection closed: \(s)"
        case .http(let status, let detail): return "HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case .protocolError(let s): return "protocol error: \(s)"
        case .sessionExpired: return "backend session expired"
        case .cancelled: return "cancelled"
        case .disabled: return "backend is disabled in the configuration"
        case .unreachable(let s): return "unreachable: \(s)"
        case .remote(let e): return "backend error \(e.code): \(e.message)"
        }
    }

    private static func format(_ s: Double) -> String {
        Int(exactly: s).map { String($0) } ?? String(s)
    }

    /// The JSON-RPC error to give a client for this failure.
    public var rpcError: JSONRPCErrorObject {
        switch self {
        case .remote(let e): return e
        case .timeout: return JSONRPCErrorObject(code: JSONRPCErrorCode.requestTimeout, message: description)
        case .cancelled: return JSONRPCErrorObject(code: JSONRPCErrorCode.requestCancelled, message: description)
        default: return JSONRPCErrorObject(code: JSONRPCErrorCode.backendUnavailable, message: description)
        }
    }
}
