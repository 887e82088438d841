// JSON-RPC 2.0 and MCP error codes used by the gateway.

public enum JSONRPCErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    /// Server-defined range: the backend could not be reached or failed.
    public static let backendUnavailable = -32001
    public static let requestTimeout = -32002
    public static let requestCancelled = -32800
}

public struct JSONRPCErrorObject: Sendable, Equatable, Error {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["code"] = .int(code)
        object["message"] = .string(message)
        if let data { object["data"] = data }
        return .object(object)
    }
}
