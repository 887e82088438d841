// Answers one JSON-RPC message with bytes, for both front ends. The hot path (tools/call
// echo) scans the envelope and copies the `text` literal verbatim: no JSON tree is built.

import MCPProtocol

struct BenchResponder: Sendable {
    struct Reply: Sendable {
        /// nil for notifications and client responses: nothing to send back.
        var bytes: [UInt8]?
        /// True for a successful `initialize`: the HTTP front end mints a session then.
        var isInitialize = false
    }

    let catalog: SyntheticCatalog

    private static let emptyObject: ArraySlice<UInt8> = Array("{}".utf8)[...]
    private static let echoPrefix = Array("{\"content\":[{\"type\":\"text\",\"text\":".utf8)
    private static let echoSuffix = Array("}]}".utf8)
    private static let emptyString = Array("\"\"".utf8)

    func reply(to bytes: [UInt8]) -> Reply {
        let message: JSONRPCMessage
        do {
            message = try JSONRPCMessage.decode(bytes)
        } catch {
            return Reply(bytes: JSONRPCEncoder.error(id: error.id, code: error.code, message: error.message))
        }
        guard message.kind == .request else { return Reply(bytes: nil) }
        switch message.method ?? "" {
        case "tools/call":
            return Reply(bytes: call(message))
        case "tools/list":
            return Reply(bytes: JSONRPCEncoder.result(id: message.id, result: catalog.listResult[...]))
        case "ping":
            return Reply(bytes: JSONRPCEncoder.result(id: message.id, result: Self.emptyObject))
        case "initialize":
            return Reply(bytes: initialize(message), isInitialize: true)
        case let method:
            return Reply(bytes: JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.methodNotFound,
                                                     message: "Method not found: \(method)"))
        }
    }

    private func initialize(_ message: JSONRPCMessage) -> [UInt8] {
        let requested = (try? message.paramsValue())?["protocolVersion"]?.stringValue
        let result: JSONValue = [
            "protocolVersion": .string(ProtocolVersion.negotiate(requested: requested)),
            "capabilities": ["tools": ["listChanged": false]],
            "serverInfo": ["name": "bench-backend", "version": "1.0.0"],
        ]
        return JSONRPCEncoder.result(id: message.id, result: result)
    }

    private func call(_ message: JSONRPCMessage) -> [UInt8] {
        guard let range = message.paramsRange,
              let members = try? JSONScanner.members(of: message.bytes, in: range),
              let nameMember = members.first(where: { $0.key == "name" }),
              let name = JSONScanner.string(in: message.bytes, range: nameMember.range) else {
            return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "tools/call needs params.name")
        }
        guard name == "echo" else {
            guard catalog.toolNames.contains(name) else {
                return JSONRPCEncoder.error(id: message.id, code: JSONRPCErrorCode.invalidParams, message: "Unknown tool: \(name)")
            }
            var text: [UInt8] = []
            JSONWriter.writeString("ok: \(name) (synthetic tool, nothing done)", into: &text)
            return JSONRPCEncoder.result(id: message.id, result: Self.textResult(text[...]))
        }
        var text = Self.emptyString[...]
        if let arguments = members.first(where: { $0.key == "arguments" }),
           message.bytes[arguments.range].first == UInt8(ascii: "{"),
           let inner = try? JSONScanner.members(of: message.bytes, in: arguments.range),
           let textMember = inner.first(where: { $0.key == "text" }),
           message.bytes[textMember.range].first == UInt8(ascii: "\"") {
            // The literal is already valid JSON: relay it byte for byte.
            text = message.bytes[textMember.range]
        }
        return JSONRPCEncoder.result(id: message.id, result: Self.textResult(text))
    }

    private static func textResult(_ quotedText: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var out = echoPrefix
        out.reserveCapacity(echoPrefix.count + quotedText.count + echoSuffix.count)
        out.append(contentsOf: quotedText)
        out.append(contentsOf: echoSuffix)
        return out[...]
    }
}
