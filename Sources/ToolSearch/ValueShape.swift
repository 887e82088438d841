// Recognises argument values written inside a request (URL, e-mail, path, file name, CSS
// selector) and the parameter word each shape implies.

enum ValueShape: Equatable, Sendable {
    case plain
    case url
    case email
    case path(endsInFileName: Bool)
    case fileName
    case selector

    init(of chunk: String) {
        // Every shape below needs one of these ASCII marks; most query words have none, and
        // lower-casing them first cost ~8k instructions a word (callgrind).
        guard chunk.utf8.contains(where: Self.markBytes.contains) else {
            self = .plain
            return
        }
        let lower = chunk.lowercased()
        if lower.contains("://") || lower.hasPrefix("www.") {
            self = .url
        } else if let at = lower.firstIndex(of: "@"), at != lower.startIndex,
            lower[lower.index(after: at)...].contains(".")
        {
            self = .email
        } else if lower.contains("/") || lower.contains("\\") || lower.hasPrefix("~") {
            let last = lower.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            self = .path(endsInFileName: ValueShape.isFileName(last))
        } else if lower.hasPrefix("#") || (lower.hasPrefix(".") && lower.dropFirst().first?.isLetter == true) {
            self = .selector
        } else if ValueShape.isFileName(lower) {
            self = .fileName
        } else if ValueShape.isDomain(lower) {
            self = .url
        } else {
            self = .plain
        }
    }

    private static let markBytes: [UInt8] = Array("./\\@~#:".utf8)

    var impliedTerms: [String] {
        switch self {
        case .plain: []
        case .url: ["url"]
        case .email: ["email"]
        case .path(let endsInFileName): endsInFileName ? ["path", "file"] : ["path"]
        case .fileName: ["file"]
        case .selector: ["selector"]
        }
    }

    /// "main.py", "README.md": a name of two or more characters and a short alphabetic extension.
    private static func isFileName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let base = parts.first, let ext = parts.last else { return false }
        guard base.count >= 2, (1...5).contains(ext.count), ext.first?.isLetter == true else { return false }
        return base.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            && ext.allSatisfy { $0.isLetter || $0.isNumber }
    }

    /// "docs.example.com": three or more dot-separated labels of letters, digits and hyphens.
    private static func isDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 3, let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }
}
