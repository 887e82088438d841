// The part of a catalog-wide answer (search, the full tool list) that names the servers whose
// tools it could not include: an agent that gets no good match should know the catalog was
// partial, and why, instead of concluding the tool does not exist.

import MCPProtocol

enum UnavailableServersNote {
    static let note = "These servers have no tool list yet (still starting, slow to answer, or failing), so "
        + "their tools are not included. Ask again shortly, or see gateway_list_servers for their status."

    /// Appends `,"unavailableServers":[…],"note":"…"` to an object being written; nothing when
    /// every server is listed, so the usual answer stays as small as it was.
    static func write(_ servers: [String], into json: inout [UInt8]) {
        guard !servers.isEmpty else { return }
        json.append(contentsOf: #","unavailableServers":["#.utf8)
        for (i, server) in servers.enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(server, into: &json)
        }
        json.append(contentsOf: #"],"note":"#.utf8)
        JSONWriter.writeString(note, into: &json)
    }

    static func add(_ servers: [String], to object: inout JSONObject) {
        guard !servers.isEmpty else { return }
        object["unavailableServers"] = .array(servers.map { .string($0) })
        object["note"] = .string(note)
    }
}
