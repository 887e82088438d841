// Decodes a JSON tree as an OpenAPI document with OpenAPIKit: 3.1/3.2 directly, 3.0 with OpenAPIKit30 and
// the compat converter, Swagger 2.0 through SwaggerConverter first. `$ref`s are then inlined by OpenAPIKit.

import Foundation
import MCPProtocol
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat

/// A decoded, dereferenced document and what was done to read it.
struct ReadDocument {
    let document: OpenAPIKit.OpenAPI.Document
    let endpoints: [OpenAPIKit.ResolvedEndpoint]
    /// "Swagger 2.0", "OpenAPI 3.0.3", …
    let sourceVersion: String
    /// Recursive references cut to make the document inlinable.
    let cutReferences: [String]
}

enum OpenAPIDocumentReader {
    static func read(_ tree: JSONValue) throws -> ReadDocument {
        var tree = tree
        let sourceVersion: String
        if let swagger = tree["swagger"]?.stringValue {
            guard swagger.hasPrefix("2.") else { throw SpecImportError("unsupported Swagger version \(swagger)") }
            sourceVersion = "Swagger \(swagger)"
            tree = SwaggerConverter.convert(tree)
        } else if let version = tree["openapi"]?.stringValue {
            sourceVersion = "OpenAPI \(version)"
        } else {
            throw SpecImportError("not an OpenAPI or Swagger document (no 'openapi' or 'swagger' key)")
        }
        let (acyclic, cut) = ReferenceCycleBreaker.breakCycles(in: tree)
        let data = Data(JSONWriter.encode(acyclic))
        let version = acyclic["openapi"]?.stringValue ?? ""
        let document: OpenAPIKit.OpenAPI.Document
        do {
            if version.hasPrefix("3.0") {
                let legacy = try JSONDecoder().decode(OpenAPIKit30.OpenAPI.Document.self, from: data)
                document = legacy.convert(to: .v3_1_1)
            } else if version.hasPrefix("3.1") || version.hasPrefix("3.2") {
                document = try JSONDecoder().decode(OpenAPIKit.OpenAPI.Document.self, from: data)
            } else {
                throw SpecImportError("unsupported OpenAPI version \(version)")
            }
        } catch let error as SpecImportError {
            throw error
        } catch {
            throw SpecImportError("the document is not valid \(sourceVersion): \(OpenAPIKit.OpenAPI.Error(from: error).localizedDescription)")
        }
        do {
            let resolved = try document.locallyDereferenced().resolved().endpoints
            // In the file's path order (JSONDecoder on Linux does not keep key order), methods in the usual
            // order, so output and progress follow the file.
            let pathKeys = acyclic["paths"]?.objectValue?.keys ?? []
            let pathOrder = Dictionary(pathKeys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let methodOrder = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]
            let endpoints = resolved.enumerated().sorted { lhs, rhs in
                let left = (pathOrder[lhs.element.path.rawValue] ?? Int.max,
                            methodOrder.firstIndex(of: lhs.element.method.rawValue.uppercased()) ?? methodOrder.count, lhs.offset)
                let right = (pathOrder[rhs.element.path.rawValue] ?? Int.max,
                             methodOrder.firstIndex(of: rhs.element.method.rawValue.uppercased()) ?? methodOrder.count, rhs.offset)
                return left < right
            }.map(\.element)
            return ReadDocument(document: document, endpoints: endpoints, sourceVersion: sourceVersion, cutReferences: cut)
        } catch {
            throw SpecImportError("cannot resolve a $ref: \(error) (only references within the document are supported)")
        }
    }
}
