// `cap import`: reads an OpenAPI 3.0/3.1 or Swagger 2.0 spec and produces one capability file per
// operation, each with an example whose request is computed and checked, plus the list of operations
// that were skipped and why.

import AsyncHTTPClient
import Foundation
import MCPProtocol
import OpenAPIKit

/// One generated capability file.
public struct ImportedCapability: Sendable {
    public var name: String
    public var method: String
    public var path: String
    /// The file's text.
    public var yaml: String
    public var fileName: String { name + ".yaml" }
}

/// An operation that was not turned into a capability.
public struct SkippedOperation: Sendable, Equatable {
    public var method: String
    public var path: String
    public var reason: String

    public init(method: String, path: String, reason: String) {
        self.method = method
        self.path = path
        self.reason = reason
    }
}

public struct OpenAPIImportResult: Sendable {
    public var title: String
    /// "OpenAPI 3.0.3", "Swagger 2.0", …
    public var sourceVersion: String
    public var capabilities: [ImportedCapability]
    public var skipped: [SkippedOperation]
    /// Things worth knowing that did not stop anything (recursive schemas cut short, …).
    public var notes: [String]

    /// Skip reasons with how many operations each one affected, most frequent first.
    public var skipSummary: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for skip in skipped { counts[skip.reason, default: 0] += 1 }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }
}

public enum OpenAPIImporter {
    /// Reads `source` (a path or an http(s) URL) and imports it.
    public static func importSpec(source: String, options: OpenAPIImportOptions,
                                  progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async throws -> OpenAPIImportResult {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let bytes: [UInt8]
        do {
            bytes = try await SpecText.load(source, client: client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        var options = options
        if options.specURL == nil, source.hasPrefix("http") { options.specURL = source }
        return try importSpec(bytes: bytes, options: options, progress: progress)
    }

    public static func importSpec(bytes: [UInt8], options: OpenAPIImportOptions,
                                  progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> OpenAPIImportResult {
        let read = try OpenAPIDocumentReader.read(try SpecText.parse(bytes))
        let title = read.document.info.title
        let converter = OperationConverter(options: options, documentTitle: title)
        var result = OpenAPIImportResult(title: title, sourceVersion: read.sourceVersion, capabilities: [], skipped: [],
                                         notes: read.cutReferences.map { "recursive schema reference cut short: \($0)" })
        var names = Set<String>()
        let total = read.endpoints.count
        for (index, endpoint) in read.endpoints.enumerated() {
            defer { progress?(index + 1, total) }
            let method = endpoint.method.rawValue.uppercased()
            let path = endpoint.path.rawValue
            var name = ImportNaming.name(operationID: endpoint.operationId, method: method, path: path, prefix: options.prefix)
            if names.contains(name) {
                var counter = 2
                while names.contains("\(name)_\(counter)") { counter += 1 }
                name = "\(name)_\(counter)"
            }
            do {
                let document = try converter.convert(endpoint, name: name)
                let yaml = try withExample(document, path: "\(name).yaml", header: header(title: title, method: method, path: path, read: read))
                names.insert(name)
                result.capabilities.append(ImportedCapability(name: name, method: method, path: path, yaml: yaml))
            } catch let skip as OperationConverter.Skip {
                result.skipped.append(SkippedOperation(method: method, path: path, reason: skip.reason))
            } catch {
                result.skipped.append(SkippedOperation(method: method, path: path, reason: "\(error)"))
            }
        }
        return result
    }

    /// Writes every capability into `directory` (created if needed); returns the paths written.
    public static func write(_ result: OpenAPIImportResult, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try result.capabilities.map { capability in
            let path = (directory as NSString).appendingPathComponent(capability.fileName)
            try capability.yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    private static func header(title: String, method: String, path: String, read: ReadDocument) -> [String] {
        ["Imported by `mcp-gateway cap import` from \(title) (\(read.sourceVersion)): \(method) \(path)"]
    }

    /// The document with an example (arguments from the schema, request computed by the builder), as YAML
    /// that loads without errors.
    private static func withExample(_ document: JSONValue, path: String, header: [String]) throws -> String {
        let draft = CapabilityYAMLWriter.yaml(document, header: header)
        let loaded = CapabilityFileLoader.parse(yaml: draft, path: path)
        guard let definition = loaded.definition else {
            throw SpecImportError("the generated capability does not load: \(loaded.errors.first?.message ?? "unknown problem")")
        }
        let arguments = ExampleArguments.sample(for: definition.inputSchema)
        guard let request = try? ExampleChecker.previewRequest(definition, arguments: arguments) else { return draft }
        var expected = JSONObject([("method", .string(request.method)), ("url", .string(request.url))])
        if let body = request.body {
            expected["body"] = (try? JSONParser.parse(body)) ?? .string(String(decoding: body, as: UTF8.self))
        }
        var object = document.objectValue ?? JSONObject()
        object["examples"] = [["arguments": arguments, "request": .object(expected)]]
        let final = CapabilityYAMLWriter.yaml(.object(object), header: header)
        let check = CapabilityFileLoader.parse(yaml: final, path: path)
        guard let checked = check.definition, ExampleChecker.check(checked).isEmpty else { return draft }
        return final
    }
}
