// Reads the secrets a capability file names: environment variables and files. Only the file's own
// templates and auth section ever reach this type; argument values are never looked up here.

import Foundation
import MCPProtocol

/// Where secrets come from for one call.
struct SecretResolver: Sendable {
    enum Mode: Sendable {
        /// Real values from the environment and files.
        case live
        /// Examples and `cap test`: `<NAME>` instead of any value, so nothing secret is read or printed.
        case placeholders
    }

    let environment: [String: String]
    let mode: Mode

    func environmentValue(_ name: String) -> String? {
        switch mode {
        case .placeholders: return "<\(name)>"
        case .live: return environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The credential, or nil when it is not available (variable unset, file missing or empty).
    func value(of source: SecretSource) -> String? {
        if mode == .placeholders { return source.examplePlaceholder }
        switch source {
        case .environment(let name):
            return environmentValue(name)
        case .file(let path, let field):
            var location = path
            if location.hasPrefix("~"), let home = environment["HOME"] { location = home + location.dropFirst() }
            guard let data = FileManager.default.contents(atPath: location) else { return nil }
            let text = String(decoding: data, as: UTF8.self)
            guard let field else { return text.trimmingBlanks().nilIfEmpty }
            guard let json = try? JSONParser.parse(Array(data)), let path = ResponsePath(field),
                  let value = path.extract(from: json)?.stringValue else { return nil }
            return value.nilIfEmpty
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
