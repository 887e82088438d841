// Picks the name a user most likely meant when they typed one that does not exist.
// Shared by unknown-key errors and any other "did you mean" in the gateway.

/// The candidate closest to `input`, or nil when none is close enough to be worth suggesting.
///
/// A candidate qualifies when it equals `input` once case, `_` and `-` are ignored (`maxBodySize`),
/// when one contains the other and the shorter has at least 3 characters (`url` / `http_url`),
/// or when the edit distance is at most 2 (at most 1 for inputs of 1 or 2 characters).
/// Ties go to the smaller distance (for containment, to the earlier candidate), then to the earlier candidate.
public func closestSuggestion(for input: String, among candidates: some Sequence<String>) -> String? {
    let normalizedInput = normalizedForSuggestion(input)
    let maxDistance = input.count <= 2 ? 1 : 2
    var best: (candidate: String, rank: Int, distance: Int)?
    for candidate in candidates where candidate != input {
        let distance = editDistance(input, candidate)
        let rank: Int
        if normalizedForSuggestion(candidate) == normalizedInput {
            rank = 0
        } else if distance <= maxDistance {
            rank = 1
        } else if isContainment(input, candidate) {
            rank = 2
        } else {
            continue
        }
        // Among containment matches the distance mostly measures length, so the earlier candidate wins.
        let tieBreak = rank == 2 ? 0 : distance
        if let current = best, (current.rank, current.distance) <= (rank, tieBreak) { continue }
        best = (candidate, rank, tieBreak)
    }
    return best?.candidate
}

private func normalizedForSuggestion(_ name: String) -> String {
    String(name.lowercased().filter { $0 != "_" && $0 != "-" })
}

private func isContainment(_ a: String, _ b: String) -> Bool {
    let lowerA = a.lowercased()
    let lowerB = b.lowercased()
    let (shorter, longer) = lowerA.count <= lowerB.count ? (lowerA, lowerB) : (lowerB, lowerA)
    return shorter.count >= 3 && longer.contains(shorter)
}
