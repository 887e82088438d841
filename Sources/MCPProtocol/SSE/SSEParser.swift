// Incremental text/event-stream parser (WHATWG HTML "event stream interpretation"):
// any chunking, CR/LF/CRLF line ends, comments, multi-line data, id and retry fields.

public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var eventType: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var eventID: String?
    private var retry: Int?
    /// The last event id seen, kept across events for reconnection (`Last-Event-ID`).
    public private(set) var lastEventID: String?
    private var sawBOM = false
    /// Bytes one event may hold (its data and the line being read): a peer that sends more
    /// without ending the event (100 MB without a newline) is not an event stream to hold on to.
    let maximumEventSize: Int
    /// True once an event outgrew `maximumEventSize`: nothing more is parsed, the reader ends the stream.
    public private(set) var exceeded = false

    public static let defaultMaximumEventSize = 64 * 1024 * 1024

    public init(maximumEventSize: Int = SSEParser.defaultMaximumEventSize) {
        self.maximumEventSize = maximumEventSize
    }

    /// Feeds bytes; returns the events completed by them.
    public mutating func feed<C: Collection>(_ bytes: C) -> [ServerSentEvent] where C.Element == UInt8 {
        var events: [ServerSentEvent] = []
        if exceeded { return events }
        defer {
            if line.count + data.count > maximumEventSize {
                exceeded = true
                line = []
                data = []
            }
        }
        if bytes.withContiguousStorageIfAvailable({ scan($0, into: &events) }) == nil {
            Array(bytes).withUnsafeBufferPointer { scan($0, into: &events) }
        }
        return events
    }

    /// Splits `buffer` at line ends; the runs between them go into `line` whole (byte by byte,
    /// a backend's 64 MB line took a debug build ~50 s).
    private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, into events: inout [ServerSentEvent]) {
        var start = 0
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A {
                    index += 1
                    start = index
                    continue
                }
            }
            index += 1
            guard byte == 0x0A || byte == 0x0D else { continue }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<(index - 1)]))
            lastWasCR = byte == 0x0D
            processLine(&events)
            start = index
        }
        if start < buffer.count {
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Call at end of stream: an unterminated final event is discarded, as the spec says.
    public mutating func finish() -> [ServerSentEvent] {
        line.removeAll()
        data.removeAll()
        hasData = false
        eventType = nil
        return []
    }

    private mutating func processLine(_ events: inout [ServerSentEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if !sawBOM {
            sawBOM = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(&events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let field: [UInt8]
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = Array(line[..<colon])
            value = line[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        } else {
            field = line
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "id":
            if !value.contains(0) {
                let id = String(decoding: value, as: UTF8.self)
                eventID = id
                lastEventID = id
            }
        case "retry":
            if let ms = Int(String(decoding: value, as: UTF8.self)), ms >= 0 { retry = ms }
        default:
            break
        }
    }

    private mutating func dispatch(_ events: inout [ServerSentEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            eventID = nil
            retry = nil
        }
        guard hasData else {
            // A retry-only block still matters to the reader.
            if let retry { events.append(ServerSentEvent(event: "retry", data: "", id: nil, retry: retry)) }
            return
        }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 }
        events.append(ServerSentEvent(event: type, data: String(decoding: data, as: UTF8.self), id: eventID, retry: retry))
    }
}
