// libFuzzer target: JSON-RPC envelope decoding in both eras.
//
// The input is a message body as a client or backend sends it. Checked:
// - handshake era (2025-xx): `JSONRPCMessage.decode` answers -32700 exactly when the body is not
//   one JSON object (the tree parser as reference: invalid JSON anywhere, `arguments` included,
//   is a parse error, never relayed); a decoded message has a consistent kind, its ranges hold
//   the members the tree has, and encoding it back decodes to the same message; a batch's
//   elements decode one by one the same way;
// - stateless era (2026-07-28): the `_meta` envelope agrees with the tree; `decorate` (the
//   byte splice that adds resultType and cache hints to a result) keeps valid JSON valid and
//   every member the result had; `ModernResult.read` (a backend's result) strips only the
//   modern-only members and leaves valid JSON.

import FuzzSupport
@testable import GatewayBackends
@testable import GatewayCore
@testable import MCPProtocol

@_cdecl("FuzzJSONRPC_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzJSONRPC)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRPC(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let tree = try? JSONParser.parse(bytes)
    if JSONScanner.isArray(bytes) {
        checkBatch(bytes, tree: tree)
    } else {
        checkMessage(bytes, tree: tree)
    }
    checkDecorate(bytes, tree: tree)
    checkModernResult(bytes, tree: tree)
    return 0
}

private func checkBatch(_ bytes: [UInt8], tree: JSONValue?) {
    let elements = try? JSONScanner.elements(of: bytes, in: 0..<bytes.count)
    fuzzRequire((elements != nil) == (tree?.arrayValue != nil), "batch elements vs tree")
    for range in elements ?? [] {
        let element = Array(bytes[range])
        checkMessage(element, tree: try? JSONParser.parse(element))
    }
}

private func checkMessage(_ bytes: [UInt8], tree: JSONValue?) {
    let message: JSONRPCMessage
    do {
        message = try JSONRPCMessage.decode(bytes)
    } catch {
        // A parse error exactly when the body is not one JSON object.
        fuzzRequire((error.code == JSONRPCErrorCode.parseError) == (tree?.objectValue == nil),
                    "decode error \(error.code) for a body the parser \(tree == nil ? "rejects" : "accepts")")
        fuzzRequire(error.code == JSONRPCErrorCode.parseError || error.code == JSONRPCErrorCode.invalidRequest,
                    "unexpected error code \(error.code)")
        return
    }
    guard let object = tree?.objectValue else {
        fuzzRequire(false, "decode accepts a body that is not a JSON object")
        return
    }
    fuzzRequire(object["jsonrpc"] == .string("2.0"), "decoded without jsonrpc 2.0")
    switch message.kind {
    case .request: fuzzRequire(message.method != nil && message.id != nil, "request without method or id")
    case .notification: fuzzRequire(message.method != nil && message.id == nil, "notification with id or without method")
    case .response: fuzzRequire(message.method == nil && message.resultRange != nil, "response shape")
    case .errorResponse: fuzzRequire(message.method == nil && message.errorRange != nil, "error response shape")
    }
    if let method = message.method { fuzzRequire(object["method"] == .string(method), "method differs from the tree") }
    if let id = message.id { fuzzRequire(JSONRPCID(json: object["id"] ?? .null) == id, "id differs from the tree") }
    for (key, range) in [("params", message.paramsRange), ("result", message.resultRange), ("error", message.errorRange)] {
        fuzzRequire(range.flatMap { try? JSONParser.parse(message.bytes[$0]) } == object[key], "\(key) range differs from the tree")
    }
    if case .object(let params)? = object["params"] {
        fuzzRequire(message.paramsMembers.map(\.key) == params.keys, "params members differ from the tree")
    }
    checkReencoding(message)
    checkEnvelope(message, params: object["params"])
}

/// Encoding a decoded message again (as the gateway does when it relays one) decodes to the
/// same message.
private func checkReencoding(_ message: JSONRPCMessage) {
    let encoded: [UInt8]
    switch message.kind {
    case .request:
        guard let id = message.id, let method = message.method else { return }
        encoded = JSONRPCEncoder.request(id: id, method: method, params: message.params)
    case .notification:
        guard let method = message.method else { return }
        encoded = JSONRPCEncoder.notification(method: method, params: message.params)
    case .response:
        guard let result = message.result else { return }
        encoded = JSONRPCEncoder.result(id: message.id, result: result)
    case .errorResponse:
        guard let error = message.error else { return }
        encoded = JSONRPCEncoder.errorRaw(id: message.id, error: error)
    }
    guard let again = try? JSONRPCMessage.decode(encoded) else {
        fuzzRequire(false, "re-encoded message does not decode: \(String(decoding: encoded, as: UTF8.self))")
        return
    }
    fuzzRequire(again.kind == message.kind && again.id == message.id && again.method == message.method,
                "re-encoded message differs")
    // Only the members of the message's kind are encoded again (a request's stray `result` is not).
    switch message.kind {
    case .request, .notification: fuzzRequire(again.params == message.params, "re-encoded params differ")
    case .response: fuzzRequire(again.result == message.result, "re-encoded result differs")
    case .errorResponse: fuzzRequire(again.error == message.error, "re-encoded error differs")
    }
}

/// The 2026-07-28 envelope read by scanning agrees with the tree.
private func checkEnvelope(_ message: JSONRPCMessage, params: JSONValue?) {
    let meta = params?["_meta"]
    switch ModernEra.envelope(of: message) {
    case .success(let envelope):
        fuzzRequire(meta?[ModernEra.MetaKey.protocolVersion] == .string(envelope.protocolVersion), "envelope version")
        fuzzRequire(meta?[ModernEra.MetaKey.clientCapabilities] == envelope.capabilities, "envelope capabilities")
        if let level = envelope.logLevel {
            fuzzRequire(meta?[ModernEra.MetaKey.logLevel] == .string(level), "envelope log level")
        }
        if let token = envelope.progressToken { fuzzRequire(meta?["progressToken"] == token, "envelope progress token") }
    case .failure:
        // Missing: no string version or no object capabilities in the tree either.
        let version = meta?[ModernEra.MetaKey.protocolVersion]?.stringValue
        let capabilities = meta?[ModernEra.MetaKey.clientCapabilities]?.objectValue
        fuzzRequire(version == nil || capabilities == nil, "envelope refused though the tree has it")
    }
}

/// The result splice keeps a valid response valid, keeps its members and adds resultType.
/// A response with two top-level `result` members is left to validity alone: `decorate`
/// splices into the first (it reads the gateway's own replies, which have one), the tree keeps
/// the last.
private func checkDecorate(_ bytes: [UInt8], tree: JSONValue?) {
    let meta = ModernEra.serverInfoMeta(["name": "fuzz", "version": "1"])
    let decorated = ModernEra.decorate(response: bytes, method: "tools/list", meta: meta)
    guard let tree else { return }
    // The scanner keeps a repeated member's last value, `valueStart` finds the first: they
    // agree exactly when `result` occurs once.
    let last = ((try? JSONScanner.members(of: bytes)) ?? []).first { $0.key == "result" }?.range.lowerBound
    let first = (try? JSONScanner.valueStart(of: "result", in: bytes)) ?? nil
    guard let after = try? JSONParser.parse(decorated) else {
        fuzzRequire(false, "decorate broke valid JSON: \(String(decoding: decorated, as: UTF8.self))")
        return
    }
    guard first != nil, first == last, case .object(let result)? = tree["result"], tree.objectValue != nil else { return }
    guard case .object(let decoratedResult)? = after["result"] else {
        fuzzRequire(false, "decorate lost the result object")
        return
    }
    for member in result.members {
        // A repeated member keeps its last value in the tree; `decorate` does not add a key
        // the result has (its presence check reads every occurrence).
        fuzzRequire(decoratedResult[member.key] != nil, "decorate lost result member \(member.key)")
    }
    fuzzRequire(decoratedResult["resultType"] != nil, "decorate added no resultType")
}

/// A backend's 2026-07-28 result: stripping leaves valid JSON without the modern-only members.
private func checkModernResult(_ bytes: [UInt8], tree: JSONValue?) {
    guard case .complete(let stripped?) = ModernResult.read(bytes[...]) else { return }
    guard case .object(let object)? = try? JSONParser.parse(stripped) else {
        fuzzRequire(false, "stripped result is not a JSON object: \(String(decoding: stripped, as: UTF8.self))")
        return
    }
    for key in ModernResult.modernOnlyMembers { fuzzRequire(object[key] == nil, "stripped result keeps \(key)") }
    if let original = tree?.objectValue {
        for member in original.members where !ModernResult.modernOnlyMembers.contains(member.key) && member.key != "_meta" {
            fuzzRequire(object[member.key] == member.value, "stripping changed member \(member.key)")
        }
    }
}
