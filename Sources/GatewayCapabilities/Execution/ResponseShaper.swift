// Turns an HTTP answer into the tool result: status check, JSON or text, GraphQL errors,
// response_path, transforms, secret scrubbing and the byte cap (which says when it cut).

import MCPProtocol

struct ResponseShaper {
    let definition: CapabilityDefinition
    let provider: ProviderDefinition
    let request: PreparedRequest

    func shape(_ answer: HTTPAnswer) throws(CapabilityCallError) -> RawJSON {
        if answer.status >= 300 {
            let endpoint = "\(request.method) \(answer.url.authority)\(pathOnly(answer.url.rest))"
            let detail = request.redacting(String(decoding: answer.body.prefix(400), as: UTF8.self))
                .replacing("\n", with: " ")
            throw .httpStatus(code: answer.status, reason: answer.reason, endpoint: request.redacting(endpoint), detail: detail)
        }
        let transformer = ResponseTransformer(transform: definition.transform)
        guard let parsed = try? JSONParser.parse(answer.body), !answer.body.isEmpty else {
            return textResult(answer, transformer: transformer)
        }
        if provider.service == .graphql, let errors = parsed["errors"]?.arrayValue, !errors.isEmpty {
            let messages = errors.prefix(5).map { error in error["message"]?.stringValue ?? JSONWriter.encodeString(error) }
            throw .graphQLErrors(messages.map(request.redacting))
        }
        var value = parsed
        if let path = provider.responsePath {
            guard let extracted = path.extract(from: value) else { throw .responsePathNotFound(path.source) }
            value = extracted
        }
        value = transformer.apply(value)
        if !request.secrets.isEmpty { value = mapStrings(value, request.redacting) }
        return capped(value)
    }

    private var limit: Int { definition.transform.truncate ?? ResponseTransform.defaultTruncate }

    private func capped(_ value: JSONValue) -> RawJSON {
        let text = JSONWriter.encode(value)
        guard text.count > limit else {
            return CallToolResultBuilder.success(text: String(decoding: text, as: UTF8.self), structured: value)
        }
        // An array keeps as many whole leading items as fit, so the model still gets valid JSON.
        if case .array(let items) = value {
            var kept = 0
            var size = 2
            for item in items {
                let itemSize = JSONWriter.encode(item).count + (kept == 0 ? 0 : 1)
                if size + itemSize > limit { break }
                size += itemSize
                kept += 1
            }
            if kept > 0 {
                let shown = JSONWriter.encodeString(.array(Array(items.prefix(kept))))
                let note = "[truncated: showing the first \(kept) of \(items.count) items (\(size) of \(text.count) bytes, limit \(limit)); ask for fewer results to see the rest]"
                return CallToolResultBuilder.success(text: shown, structured: nil, notes: [note])
            }
        }
        return cutText(text, total: text.count)
    }

    private func textResult(_ answer: HTTPAnswer, transformer: ResponseTransformer) -> RawJSON {
        if answer.body.isEmpty {
            return CallToolResultBuilder.success(text: "(empty response, HTTP \(answer.status))", structured: nil)
        }
        guard let text = String(validatingUTF8Bytes: answer.body) else {
            let type = answer.header("content-type") ?? "unknown type"
            return CallToolResultBuilder.success(text: "(binary response: \(answer.body.count) bytes of \(type))", structured: nil)
        }
        let cleaned = request.redacting(transformer.applyToText(text))
        let bytes = Array(cleaned.utf8)
        if bytes.count <= limit { return CallToolResultBuilder.success(text: cleaned, structured: nil) }
        return cutText(bytes, total: bytes.count)
    }

    /// The first `limit` bytes (never splitting a UTF-8 character) and a note saying so.
    private func cutText(_ bytes: [UInt8], total: Int) -> RawJSON {
        var end = min(limit, bytes.count)
        while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        let shown = String(decoding: bytes[..<end], as: UTF8.self)
        let note = "[truncated: showing \(end) of \(total) bytes (limit \(limit)); narrow the request to see the rest]"
        return CallToolResultBuilder.success(text: shown, structured: nil, notes: [note])
    }

    private func pathOnly(_ rest: String) -> String {
        String(rest.prefix { $0 != "?" && $0 != "#" })
    }
}

extension String {
    /// nil unless the bytes are valid UTF-8 without NUL (binary data usually has both problems).
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        guard !bytes.contains(0) else { return nil }
        var decoded = ""
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): decoded.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = decoded
    }
}
