// The request-level chain: every request of every front end passes it before it is
// dispatched, whatever its method (listings, initialize and ping included), so a policy on
// who may ask what applies on every entry path by construction. Backend-bound operations
// then pass the call pipeline as well.

import GatewayAuth
import MCPProtocol

/// One client request as the chain sees it.
public struct IncomingRequest: Sendable {
    public let method: String
    public let principal: Principal
    /// The backend a `/mcp/{backend}` request is for; nil on the gateway's own endpoint.
    public let directServer: String?

    public init(method: String, principal: Principal, directServer: String? = nil) {
        self.method = method
        self.principal = principal
        self.directServer = directServer
    }
}

public protocol RequestStage: Sendable {
    /// nil lets the request through; an error answers it instead.
    func check(_ request: IncomingRequest) async -> JSONRPCErrorObject?
}

public struct RequestChain: Sendable {
    let stages: [any RequestStage]

    public init(stages: [any RequestStage] = []) {
        self.stages = stages
    }

    /// No stages: the dispatcher skips building the request (the relayed call stays lean).
    var isEmpty: Bool { stages.isEmpty }

    func check(_ request: IncomingRequest) async -> JSONRPCErrorObject? {
        for stage in stages {
            if let refusal = await stage.check(request) { return refusal }
        }
        return nil
    }
}

/// Policy stages added to the gateway's chains (issue 15 builds them from config).
public struct GatewayPolicy: Sendable {
    public var requestStages: [any RequestStage]
    /// Run before usage recording and the backend call, in order.
    public var callStages: [any CallStage]

    public init(requestStages: [any RequestStage] = [], callStages: [any CallStage] = []) {
        self.requestStages = requestStages
        self.callStages = callStages
    }
}
