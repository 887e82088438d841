// What can go wrong with the cluster database, said so an operator can act on it. Never carries
// the URL or its password; a server error keeps the server's own message and code.

import PostgresNIO

public enum ClusterStoreError: Error, CustomStringConvertible {
    case schemaTooNew(found: Int, known: Int)
    case unreachable(String)

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let known):
            "the cluster database's schema is version \(found), newer than this gateway knows (\(known)): upgrade this instance"
        case .unreachable(let why):
            "the cluster database cannot be used: \(why)"
        }
    }

    /// The server's message and SQLSTATE, or the kind of client-side failure; PSQLError's own
    /// description hides both on purpose.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }
}
