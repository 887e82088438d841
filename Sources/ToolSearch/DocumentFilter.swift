// Which documents one search may return: the caller's view of a shared index. Filtering
// happens on the candidates of each query, so one index (and one persisted catalog) serves
// every principal; scores keep the whole catalog's statistics.

public struct DocumentFilter: Sendable {
    let visible: [Bool]
    /// How many documents are visible.
    public let visibleCount: Int

    /// `visible[i]` says whether document `i` may be returned.
    public init(visible: [Bool]) {
        self.visible = visible
        visibleCount = visible.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    public func allows(_ document: Int) -> Bool {
        document < visible.count && visible[document]
    }
}
