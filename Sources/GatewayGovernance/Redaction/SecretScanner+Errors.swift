// Redaction of a JSON-RPC error a backend sent: its message (plain text) and its data (JSON).
// Errors are rare, so the data is written out and scanned as JSON and only re-read when
// something was found.

import MCPProtocol

extension SecretScanner {
    /// The error with its credentials replaced, and what was replaced; nil when it held none.
    public func redact(error: JSONRPCErrorObject) -> (error: JSONRPCErrorObject, counts: RedactionCounts)? {
        var redacted = error
        var counts = RedactionCounts()
        if let message = redact(text: error.message) {
            redacted.message = message.text
            counts.add(message.counts)
        }
        if let data = error.data, let found = redact(json: JSONWriter.encode(data)) {
            // The replacement keeps the JSON valid; should it ever not parse, the data is dropped
            // rather than a credential passed on.
            redacted.data = (try? JSONParser.parse(found.bytes)) ?? .string("[redacted]")
            counts.add(found.counts)
        }
        return counts.isEmpty ? nil : (redacted, counts)
    }
}
