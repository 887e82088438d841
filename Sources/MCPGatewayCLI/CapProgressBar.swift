// A progress bar on stderr for long imports: redrawn in place on a terminal, a line per 10 % otherwise,
// and nothing at all for small specs (under 50 operations) where it would only flicker.

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class CapProgressBar: Sendable {
    let label: String
    private let state = Mutex<(shown: Bool, lastTenth: Int)>((false, -1))
    private let isTerminal = isatty(STDERR_FILENO) == 1
    static let minimumTotal = 50
    static let width = 30

    init(label: String) {
        self.label = label
    }

    func update(done: Int, total: Int) {
        guard total >= Self.minimumTotal else { return }
        let tenth = done * 10 / total
        let line: String? = state.withLock { state in
            if isTerminal {
                state.shown = true
                let filled = done * Self.width / total
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
                return "\r\(label) [\(bar)] \(done)/\(total)"
            }
            guard tenth != state.lastTenth else { return nil }
            state.lastTenth = tenth
            return "\(label): \(done)/\(total)\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Ends the in-place line so that what follows starts on its own line.
    func finish() {
        let shown = state.withLock { $0.shown }
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
