// One capability file, decoded and checked: an API operation that becomes one MCP tool.
// Immutable once loaded; the executor and the tool builder only read it.

import MCPProtocol

/// A REST or GraphQL operation exposed as a tool.
public struct CapabilityDefinition: Sendable, Equatable {
    /// The tool name: `[A-Za-z0-9_-]`, at most 64 characters.
    public var name: String
    public var description: String
    /// JSON Schema of the arguments (always an object schema).
    public var inputSchema: JSONValue
    /// JSON Schema of the response, informational only (not advertised as MCP outputSchema; see docs).
    public var outputSchema: JSONValue?
    public var primary: ProviderDefinition
    public var fallbacks: [ProviderDefinition]
    public var auth: AuthDefinition
    public var metadata: CapabilityMetadata
    public var transform: ResponseTransform
    public var examples: [CapabilityExample]
    /// The file it came from and the line of its `name:` key, for messages.
    public var sourcePath: String
    public var sourceLine: Int

    public init(name: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue? = nil,
                primary: ProviderDefinition, fallbacks: [ProviderDefinition] = [], auth: AuthDefinition = AuthDefinition(),
                metadata: CapabilityMetadata = CapabilityMetadata(), transform: ResponseTransform = ResponseTransform(),
                examples: [CapabilityExample] = [], sourcePath: String = "", sourceLine: Int = 1) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.primary = primary
        self.fallbacks = fallbacks
        self.auth = auth
        self.metadata = metadata
        self.transform = transform
        self.examples = examples
        self.sourcePath = sourcePath
        self.sourceLine = sourceLine
    }

    /// Primary first, then the fallbacks in file order.
    public var providers: [ProviderDefinition] { [primary] + fallbacks }

    /// Whether repeating a call is harmless: declared in metadata, else derived from the primary's method.
    public var isIdempotent: Bool {
        metadata.idempotent ?? primary.isIdempotentByMethod
    }

    public var isReadOnly: Bool {
        metadata.readOnly ?? primary.isReadOnlyByMethod
    }
}
