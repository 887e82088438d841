// The era probe toward a backend (spec: Streamable HTTP "Backward Compatibility", stdio
// "Version discovery"): `server/discover` first; a DiscoverResult naming 2026-07-28 means
// modern; a recognised -32022 is read for its `supported` list; any other error or a
// timeout means "speak the handshake era". Network failures are not an answer.

import MCPProtocol

enum DiscoverProbe {
    static let method = "server/discover"
    static let unsupportedVersionCode = -32022
    // The probe waits as long as any request to the backend (its `timeout`), not the SDK's
    // 10 s: a stdio server answers its first request only once it has started, and starting
    // (an `npx` download, a cold interpreter on a loaded machine) can take longer than that.

    enum Outcome: Equatable {
        /// The discover result's bytes.
        case modern(RawJSON)
        /// Speak the handshake era; why, for the log.
        case handshake(String)
        case incompatible(String)
    }

    static func classify(reply: JSONRPCMessage) -> Outcome {
        if reply.kind == .errorResponse {
            let error = reply.errorValue()
            guard let error, error.code == unsupportedVersionCode else {
                return .handshake("server/discover refused: \(error.map { "\($0.code) \($0.message)" } ?? "error")")
            }
            let supported = error.data?["supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if supported.contains(where: { BackendProtocolVersions.handshake.contains($0) }) {
                return .handshake("server/discover: only \(supported.joined(separator: ", ")) supported")
            }
            return .incompatible("the server supports only \(supported.joined(separator: ", "))")
        }
        guard let result = reply.result else { return .handshake("server/discover returned nothing") }
        let bytes = Array(result)
        let members = (try? JSONScanner.members(of: bytes)) ?? []
        let versions = members.first { $0.key == "supportedVersions" }
            .flatMap { try? JSONParser.parse(bytes[$0.range]) }?.arrayValue?.compactMap(\.stringValue) ?? []
        guard versions.contains(ModernEnvelope.version) else {
            return .handshake("server/discover lists \(versions.joined(separator: ", ")), not \(ModernEnvelope.version)")
        }
        return .modern(RawJSON(bytes))
    }

    /// A failed probe: the spec's denylist says what is not an answer (the network).
    static func classify(error: BackendError) -> Outcome? {
        switch error {
        case .timeout, .http, .remote, .protocolError: return .handshake("server/discover: \(error)")
        default: return nil
        }
    }
}

enum BackendProtocolVersions {
    static let handshake = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
}
