// A place where a capability file names a secret: an environment variable (`env:NAME`, `{env.NAME}`)
// or a file (`file:PATH`). The loader records each with its line, so the operator's allow-list can be
// checked before anything is read.

/// One secret a capability file names.
public struct SecretReference: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case environment(String)
        /// The path as resolved from the file (absolute, or starting with `~`).
        case file(String)
    }

    public var kind: Kind
    public var line: Int
    public var column: Int
    /// Dotted key path, e.g. `auth.key`.
    public var keyPath: String

    /// What `cap validate FILE` says about it: the gateway serves the file only when its config allows this.
    public var allowListNote: String {
        switch kind {
        case .environment(let name):
            return "reads environment variable '\(name)': served only if the gateway config lists it in allow_env of this file's directory"
        case .file(let path):
            return "reads file '\(path)': served only if the gateway config lists it in allow_files of this file's directory"
        }
    }
}
