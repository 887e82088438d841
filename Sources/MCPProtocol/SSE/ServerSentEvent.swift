// One Server-Sent Event, as parsed from a stream or to be written to one.

public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: String
    public var id: String?
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The event type, defaulting to "message" as the SSE spec says.
    public var type: String { event ?? "message" }

    /// Wire form. Multi-line data becomes several `data:` lines, split at LF, CR and CRLF: a
    /// reader ends a line at each of them, so a CR left inside a `data:` line would end the
    /// event early and let the rest of the data read as fields (the reader gets LF for each).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        if let id { out.append(contentsOf: "id: \(id)\n".utf8) }
        if let event { out.append(contentsOf: "event: \(event)\n".utf8) }
        if let retry { out.append(contentsOf: "retry: \(retry)\n".utf8) }
        var start = data.utf8.startIndex
        let utf8 = data.utf8
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                out.append(contentsOf: "data: ".utf8)
                out.append(contentsOf: utf8[start..<index])
                out.append(0x0A)
                index = utf8.index(after: index)
                if byte == 0x0D, index < utf8.endIndex, utf8[index] == 0x0A { index = utf8.index(after: index) }
                start = index
                continue
            }
            index = utf8.index(after: index)
        }
        out.append(contentsOf: "data: ".utf8)
        out.append(contentsOf: utf8[start..<utf8.endIndex])
        out.append(contentsOf: "\n\n".utf8)
        return out
    }

    /// A JSON-RPC message as one `message` event; JSON never contains raw newlines once
    /// compacted, but the encoder handles them anyway.
    public static func encodeMessage(_ json: [UInt8], id: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 32)
        if let id { out.append(contentsOf: "id: \(id)\n".utf8) }
        out.append(contentsOf: "event: message\n".utf8)
        if JSONSingleLine.hasLineBreak(json) {
            let text = String(decoding: json, as: UTF8.self)
            for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                out.append(contentsOf: "data: ".utf8)
                out.append(contentsOf: line.utf8)
                out.append(0x0A)
            }
        } else {
            out.append(contentsOf: "data: ".utf8)
            out.append(contentsOf: json)
            out.append(0x0A)
        }
        out.append(0x0A)
        return out
    }

    /// A comment line: ignored by clients, keeps idle connections alive through proxies.
    public static let keepAlive: [UInt8] = Array(": keep-alive\n\n".utf8)
}
