// libFuzzer target: the 2026-07-28 routing headers, `Mcp-Name` and `Mcp-Param-*`.
//
// The input is up to three parts split at 0xFF (never in UTF-8): a tool's input schema (JSON),
// a call's arguments (JSON), and request header lines (`Name: value`). Checked:
// - any string survives the header encoding (`=?base64?…?=` for what is not plain ASCII)
//   and its decoding, and the encoded value is a legal HTTP field value; decoding arbitrary
//   header text never fails;
// - `x-mcp-header` annotations: parsing any schema gives tokens that are legal field names,
//   and the `Mcp-Param-*` headers the gateway sends for a call pass its own check
//   (`ParamHeaderCheck`) and carry the argument values;
// - the routing headers the gateway adds to a request toward a backend decode to the body's
//   method and name;
// - the fast path's header reading (NIOHTTP1 headers) agrees with the Hummingbird path's
//   (HTTPFields) on every header a POST is checked by.

import FuzzSupport
import HTTPTypes
import NIOHTTP1
@testable import GatewayBackends
@testable import GatewayServer
@testable import MCPProtocol

@_cdecl("FuzzHeaders_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzHeaders)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let parts = bytes.split(separator: 0xFF, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    checkValueCoding(String(decoding: bytes, as: UTF8.self))
    let schema = parts.first.flatMap { try? JSONParser.parse($0) }
    let arguments = parts.count > 1 ? try? JSONParser.parse(parts[1]) : nil
    if let schema { checkParamHeaders(schema: schema, arguments: arguments) }
    if parts.count > 2 { checkPostHeaders(parts[2]) }
    checkRoutingHeaders(name: String(decoding: parts.last ?? [], as: UTF8.self), schema: schema, arguments: arguments)
    return 0
}

private func isLegalFieldValue(_ value: String) -> Bool {
    value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } && value.first != " " && value.last != " "
}

private func checkValueCoding(_ text: String) {
    let encoded = ParamHeaderMap.headerValue(text)
    fuzzRequire(isLegalFieldValue(encoded), "encoded header value is not a legal field value: \(encoded)")
    fuzzRequire(ModernHTTPEndpoint.decodeHeaderValue(encoded) == text, "header value does not round-trip: \(encoded)")
    // Whatever a client sends decodes to something, and plain text stays as it is.
    let decoded = ModernHTTPEndpoint.decodeHeaderValue(text)
    if !(text.hasPrefix("=?base64?") && text.hasSuffix("?=")) { fuzzRequire(decoded == text, "plain value changed by decoding") }
}

private func checkParamHeaders(schema: JSONValue, arguments: JSONValue?) {
    guard case .success(let map) = ParamHeaderMap.parse(schema: schema) else { return }
    var fields = HTTPFields()
    for entry in map.entries {
        fuzzRequire(ParamHeaderMap.isToken(entry.token) && !entry.path.isEmpty, "bad entry \(entry)")
        fuzzRequire(HTTPField.Name(ParamHeaderMap.headerPrefix + entry.token) != nil, "token \(entry.token) is no field name")
    }
    let headers = map.headers(arguments: arguments)
    for header in headers {
        guard let name = HTTPField.Name(header.name) else {
            fuzzRequire(false, "header name \(header.name) is not a field name")
            return
        }
        fuzzRequire(isLegalFieldValue(header.value), "header value \(header.value) is not a legal field value")
        fields.append(HTTPField(name: name, value: header.value))
    }
    let mismatch = ParamHeaderCheck.mismatch(map: map, arguments: arguments, headers: fields)
    fuzzRequire(mismatch == nil, "the gateway's own Mcp-Param headers fail its check: \(mismatch ?? "")")
    // Without the headers, every present argument is reported missing.
    if !headers.isEmpty {
        fuzzRequire(ParamHeaderCheck.mismatch(map: map, arguments: arguments, headers: HTTPFields()) != nil,
                    "missing Mcp-Param headers pass the check")
    }
}

/// A `tools/call` toward a 2026-07-28 backend: Mcp-Name decodes to the tool's name.
private func checkRoutingHeaders(name: String, schema: JSONValue?, arguments: JSONValue?) {
    var params = JSONObject()
    params["name"] = .string(name)
    if let arguments { params["arguments"] = arguments }
    let body = JSONRPCEncoder.request(id: .int(1), method: "tools/call", params: .object(params))
    var maps: [String: ParamHeaderMap] = [:]
    if let schema, case .success(let map) = ParamHeaderMap.parse(schema: schema) { maps[name] = map }
    let headers = ModernRoutingHeaders.headers(for: body, paramMaps: maps)
    let nameHeaders = headers.filter { $0.name == "Mcp-Name" }
    fuzzRequire(nameHeaders.count == 1, "\(nameHeaders.count) Mcp-Name headers")
    if let header = nameHeaders.first {
        fuzzRequire(isLegalFieldValue(header.value), "Mcp-Name is not a legal field value")
        fuzzRequire(ModernHTTPEndpoint.decodeHeaderValue(header.value) == name, "Mcp-Name does not decode to the name")
    }
    fuzzRequire(headers.contains { $0.name == "Mcp-Method" && $0.value == "tools/call" }, "Mcp-Method missing")
}

/// The same header lines read by both front paths.
private func checkPostHeaders(_ bytes: [UInt8]) {
    var nio = HTTPHeaders()
    var fields = HTTPFields()
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
        let nameText = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
        let valueBytes = line[(colon + 1)...].drop { $0 == 0x20 }
        // What an HTTP/1 parser lets through: a token name, visible ASCII and spaces in the
        // value, no space at its end.
        guard let name = HTTPField.Name(nameText), valueBytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }),
              valueBytes.last != 0x20 else { continue }
        let value = String(decoding: valueBytes, as: UTF8.self)
        nio.add(name: nameText, value: value)
        fields.append(HTTPField(name: name, value: value))
    }
    let fast = PostHeaders(nio)
    // Names spelled out: GatewayServer and HTTPTypes both declare some of them as members.
    func agree(_ a: String?, _ what: String) {
        guard let field = HTTPField.Name(what) else { return }
        fuzzRequire(a == fields.value(field), "\(what): fast path \(String(describing: a)) vs \(String(describing: fields.value(field)))")
    }
    agree(fast.origin, "Origin")
    agree(fast.contentType, "Content-Type")
    agree(fast.accept, "Accept")
    agree(fast.contentLength, "Content-Length")
    agree(fast.sessionID, "Mcp-Session-Id")
    agree(fast.protocolVersion, "MCP-Protocol-Version")
    fuzzRequire(fast.mcpMethod == fields.single(ModernHTTPEndpoint.mcpMethod), "Mcp-Method: the paths disagree")
    fuzzRequire(fast.mcpName == fields.single(ModernHTTPEndpoint.mcpName), "Mcp-Name: the paths disagree")
}
