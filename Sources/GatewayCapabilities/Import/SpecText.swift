// Reads an API description from a file or an http(s) URL and parses it (JSON or YAML) into a JSON tree.

import AsyncHTTPClient
import Foundation
import MCPProtocol
import NIOCore
import Yams

/// Why a spec could not be read or parsed.
public struct SpecImportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

enum SpecText {
    static let maxSpecBytes = 64 * 1024 * 1024

    /// The bytes of `source`: a local path, or an http(s) URL fetched with `client`.
    static func load(_ source: String, client: HTTPClient) async throws -> [UInt8] {
        guard source.hasPrefix("http://") || source.hasPrefix("https://") else {
            guard let data = FileManager.default.contents(atPath: source) else {
                throw SpecImportError("cannot read \(source)")
            }
            return Array(data)
        }
        let response = try await client.execute(HTTPClientRequest(url: source), timeout: .seconds(60))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw SpecImportError("GET \(source) answered HTTP \(response.status.code)")
        }
        var body = try await response.body.collect(upTo: maxSpecBytes)
        return body.readBytes(length: body.readableBytes) ?? []
    }

    /// JSON when it parses as JSON, else YAML.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        if let json = try? JSONParser.parse(bytes) { return json }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard let node = try Yams.compose(yaml: text) else { throw SpecImportError("the spec is empty") }
            return YAMLValue.json(node)
        } catch let error as SpecImportError {
            throw error
        } catch {
            throw SpecImportError("the spec is neither JSON nor YAML: \(error)")
        }
    }
}
