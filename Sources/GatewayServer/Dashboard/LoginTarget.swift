// Where the login page sends the browser back to: the `next` a login form carries came from a
// URL anyone can craft, so only a path of this gateway's dashboard is followed, written in
// plain printable ASCII (no scheme, no host, no `//`, no backslash that a browser would read as
// a slash, no dot segments, no percent escapes in the path); anything else goes to `/ui`.

import Foundation

enum LoginTarget {
    static let home = "/ui"
    static let loginPath = "/ui/login"
    static let logoutPath = "/ui/logout"
    static let maxLength = 2048

    /// `next` when it is a dashboard page to go back to; `/ui` otherwise (no open redirect).
    static func sanitized(_ next: String?) -> String {
        guard let next, !next.isEmpty, next.utf8.count <= maxLength else { return home }
        // Printable ASCII only, without what would change how a browser or a header reads it.
        guard next.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !"\\\"<>`#".utf8.contains($0) }) else { return home }
        let path = next.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard isDashboardPath(path), !path.contains("%") else { return home }
        guard path != loginPath, path != logoutPath else { return home }
        return next
    }

    /// Whether `path` (no query) is `/ui` or below it, without `.` or `..` segments (which
    /// would make a browser or a proxy resolve it somewhere else). The gate asks for every
    /// routed request: other paths are told apart by their first bytes.
    static func isDashboardPath(_ path: some StringProtocol) -> Bool {
        let bytes = path.utf8
        guard bytes.starts(with: home.utf8) else { return false }
        let rest = bytes.dropFirst(home.utf8.count)
        guard rest.isEmpty || rest.first == UInt8(ascii: "/") else { return false }
        return !path.split(separator: "/").contains { $0 == "." || $0 == ".." }
    }

    /// The login page, with `target` (already sanitized) to come back to.
    static func loginPage(returningTo target: String) -> String {
        guard target != home else { return loginPath }
        return loginPath + "?next=" + (target.addingPercentEncoding(withAllowedCharacters: queryValue) ?? "")
    }

    /// Unreserved characters and `/`: everything else in a `next` value is escaped.
    private static let queryValue = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
}
