// Decides a backend's transport from `command`, `http_url`, `transport` and the reference's `streamable_http`,
// and reports keys that do not fit the chosen transport.

import Foundation
import Yams

extension ConfigDecoder {
    mutating func resolveTransport(
        _ fields: BackendFields, name: String, nameMark: Mark?, path: String, hasA2AURL: Bool,
        misspelledTransportKey: Bool
    ) -> BackendTransport? {
        let commandEntry = fields.entries["command"]
        let urlEntry = fields.entries["http_url"]
        switch (commandEntry, urlEntry) {
        case (.some, .some):
            error("backend '\(name)' has both 'command' and 'http_url'; give exactly one", at: nameMark, path: path)
            return nil
        case (.none, .none):
            if !hasA2AURL, !misspelledTransportKey {
                error("backend '\(name)' needs 'command' (a local process) or 'http_url' (a remote server)",
                      at: nameMark, path: path)
            }
            return nil
        case (.some, .none):
            return stdioTransport(fields)
        case (.none, .some(let entry)):
            return remoteTransport(fields, urlEntry: entry)
        }
    }

    private mutating func stdioTransport(_ fields: BackendFields) -> BackendTransport? {
        if let entry = fields.entries["transport"] {
            error("'transport' applies only to 'http_url' backends", at: entry.keyMark, path: entry.path)
        }
        if let entry = fields.entries["streamable_http"] {
            warning("'streamable_http' applies only to 'http_url' backends and is ignored",
                    at: entry.keyMark, path: entry.path)
        }
        if let entry = fields.entries["headers"] {
            warning("'headers' applies only to 'http_url' backends and is ignored", at: entry.keyMark, path: entry.path)
        }
        return fields.command.map { .stdio(command: $0) }
    }

    private mutating func remoteTransport(_ fields: BackendFields, urlEntry: MappingEntry) -> BackendTransport? {
        for key in ["env", "cwd"] {
            if let entry = fields.entries[key] {
                warning("'\(key)' applies only to 'command' backends and is ignored", at: entry.keyMark, path: entry.path)
            }
        }
        guard let url = fields.httpURL else { return nil }
        guard let scheme = remoteScheme(of: url) else {
            reportMismatch(expected: "an http://, https://, ws:// or wss:// URL", found: url,
                           node: urlEntry.value, path: urlEntry.path)
            return nil
        }
        if scheme == "ws" || scheme == "wss" {
            if let entry = fields.entries["transport"], let mode = fields.transport, mode != "auto", mode != "websocket" {
                error("'transport: \(mode)' needs an http:// or https:// URL, but '\(urlEntry.path)' is a WebSocket URL",
                      at: entry.value.mark, path: entry.path)
                return nil
            }
            if let entry = fields.entries["streamable_http"] {
                warning("'streamable_http' does not apply to WebSocket URLs and is ignored",
                        at: entry.keyMark, path: entry.path)
            }
            return .webSocket(url: url)
        }
        if fields.transport == "websocket", let entry = fields.entries["transport"] {
            error("'transport: websocket' needs a ws:// or wss:// URL", at: entry.value.mark, path: entry.path)
            return nil
        }
        guard let mode = httpMode(fields) else { return nil }
        return .http(url: url, mode: mode)
    }

    /// The HTTP mode from `transport` and `streamable_http` (true means Streamable HTTP, false legacy SSE).
    /// Nil, after an error, when they disagree.
    private mutating func httpMode(_ fields: BackendFields) -> HTTPMode? {
        let fromTransport: HTTPMode? = fields.transport.flatMap { HTTPMode(rawValue: $0) }
        guard let streamable = fields.streamableHTTP else { return fromTransport ?? .auto }
        let fromFlag: HTTPMode = streamable ? .streamableHTTP : .sse
        if let fromTransport, fromTransport != .auto, fromTransport != fromFlag,
           let entry = fields.entries["streamable_http"] {
            error("'streamable_http: \(streamable)' contradicts 'transport: \(fromTransport.rawValue)'; keep only 'transport'",
                  at: entry.keyMark, path: entry.path)
            return nil
        }
        return fromTransport == nil || fromTransport == .auto ? fromFlag : fromTransport
    }

    /// The lowercased scheme when `text` is an absolute http(s) or ws(s) URL with a host.
    private func remoteScheme(of text: String) -> String? {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(),
              ["http", "https", "ws", "wss"].contains(scheme),
              let host = components.host, !host.isEmpty
        else { return nil }
        return scheme
    }
}
