// Reads a 2026-07-28 result: is it `input_required` (and what does it ask), or complete?
// Complete results lose the modern-only members, so what the gateway relays has the same
// shape whichever era the backend speaks (the front end adds them back for modern clients).

import MCPProtocol

enum ModernResult {
    struct InputRequired {
        /// Key → (method, params) of each question.
        var requests: [(key: String, method: String, params: RawJSON?)]
        var requestState: String?
    }

    enum Kind {
        /// The result to relay; nil when it is relayed unchanged.
        case complete([UInt8]?)
        case inputRequired(InputRequired)
    }

    static let modernOnlyMembers: Set<String> = ["resultType", "ttlMs", "cacheScope"]

    static func read(_ result: ArraySlice<UInt8>) -> Kind {
        let bytes = Array(result)
        guard let members = try? JSONScanner.members(of: bytes) else { return .complete(nil) }
        let resultType = members.first { $0.key == "resultType" }.flatMap { JSONScanner.string(in: bytes, range: $0.range) }
        if resultType == "input_required" {
            var asked = InputRequired(requests: [], requestState: nil)
            if let state = members.first(where: { $0.key == "requestState" }) {
                asked.requestState = JSONScanner.string(in: bytes, range: state.range)
            }
            if let requests = members.first(where: { $0.key == "inputRequests" }),
               let entries = try? JSONScanner.members(of: bytes, in: requests.range) {
                for entry in entries {
                    let inner = (try? JSONScanner.members(of: bytes, in: entry.range)) ?? []
                    guard let method = inner.first(where: { $0.key == "method" })
                        .flatMap({ JSONScanner.string(in: bytes, range: $0.range) }) else { continue }
                    let params = inner.first { $0.key == "params" }.map { RawJSON(bytes[$0.range]) }
                    asked.requests.append((entry.key, method, params))
                }
            }
            return .inputRequired(asked)
        }
        return .complete(stripped(bytes, members: members))
    }

    /// The result without `resultType`, cache hints and the backend's serverInfo stamp
    /// (nil when it has none of them).
    static func stripped(_ bytes: [UInt8], members: [JSONScanner.Member]) -> [UInt8]? {
        let metaHasServerInfo = members.first { $0.key == "_meta" }.map { meta in
            ((try? JSONScanner.members(of: bytes, in: meta.range)) ?? []).contains { $0.key == ModernEnvelope.serverInfoKey }
        } ?? false
        guard metaHasServerInfo || members.contains(where: { modernOnlyMembers.contains($0.key) }) else { return nil }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for member in members where !modernOnlyMembers.contains(member.key) {
            var value = Array(bytes[member.range])
            if member.key == "_meta", metaHasServerInfo {
                guard var meta = (try? JSONParser.parse(value))?.objectValue else { continue }
                meta[ModernEnvelope.serverInfoKey] = nil
                if meta.count == 0 { continue }
                value = JSONWriter.encode(.object(meta))
            }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: value)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
