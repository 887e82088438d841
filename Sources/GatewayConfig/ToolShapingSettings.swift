// How a backend's tools are shaped before anyone sees them (`backends.NAME.tools`, `rename`,
// `descriptions`, `arguments`, `max_result_bytes`). Every key names tools by the backend's own
// names (globs where the key says so); `rename` is what changes the name clients see.

import MCPProtocol

public struct ToolShapingSettings: Sendable, Equatable {
    /// `tools.allow`: globs of the tools exposed at all; empty: every tool.
    public var allow: [String]
    /// `tools.deny`: globs of tools never exposed (deny wins over allow).
    public var deny: [String]
    /// `rename`: the backend's name → the name clients see.
    public var rename: [String: String]
    /// `descriptions`: tool name or glob → a new description or text appended to it, in the
    /// order written (the first matching entry applies).
    public var descriptions: [DescriptionRule]
    /// `arguments`: tool name or glob → argument defaults, fixed values and hidden names; every
    /// matching entry applies, in the order written (a later one overrides an earlier one's
    /// value for the same argument).
    public var arguments: [ArgumentRule]
    /// `max_result_bytes`: a tool result longer than this is cut, with a note saying so.
    public var maxResultBytes: Int?

    public init(allow: [String] = [], deny: [String] = [], rename: [String: String] = [:],
                descriptions: [DescriptionRule] = [], arguments: [ArgumentRule] = [], maxResultBytes: Int? = nil) {
        self.allow = allow
        self.deny = deny
        self.rename = rename
        self.descriptions = descriptions
        self.arguments = arguments
        self.maxResultBytes = maxResultBytes
    }

    /// Nothing shaped: the backend's tools pass as they are (and no stage runs for them).
    public var isEmpty: Bool {
        allow.isEmpty && deny.isEmpty && rename.isEmpty && descriptions.isEmpty && arguments.isEmpty && maxResultBytes == nil
    }

    /// The smallest `max_result_bytes`: room for the truncation note and some of the result.
    public static let minimumResultBytes = 256
}

/// One entry of `descriptions`.
public struct DescriptionRule: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// The description clients see instead of the backend's.
        case replace(String)
        /// Text added after the backend's description (on a new line).
        case append(String)
    }

    /// A tool name as the backend names it, or a `*`/`?` glob.
    public var tool: String
    public var change: Change

    public init(tool: String, change: Change) {
        self.tool = tool
        self.change = change
    }
}

/// One entry of `arguments`.
public struct ArgumentRule: Sendable, Equatable {
    /// A tool name as the backend names it, or a `*`/`?` glob.
    public var tool: String
    /// Values used when the caller leaves the argument out; shown in the schema as `default`.
    public var defaults: JSONObject
    /// Values always sent, whatever the caller says; removed from the schema clients see.
    public var fixed: JSONObject
    /// Arguments removed from the schema clients see; a caller's value for one is dropped.
    public var hide: [String]

    public init(tool: String, defaults: JSONObject = JSONObject(), fixed: JSONObject = JSONObject(), hide: [String] = []) {
        self.tool = tool
        self.defaults = defaults
        self.fixed = fixed
        self.hide = hide
    }
}
