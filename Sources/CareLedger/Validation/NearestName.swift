/// The name a person most likely meant when they wrote one that is not known: an event type,
/// an enumerated value or a field with a letter missing, doubled or in the wrong case.
///
/// Integrators send events from other systems, and a refusal that says "did you mean
/// WorkerRegistered?" is fixed at once, where a list of thirty types is read through.
package enum NearestName {
    /// The candidate closest to `given` (case ignored, then edits counted), when it is close
    /// enough to be a slip, and no other candidate is as close; otherwise `nil`.
    package static func suggestion(for given: String, among candidates: some Sequence<String>) -> String? {
        let typed = Array(given.lowercased().unicodeScalars)
        guard !typed.isEmpty, typed.count <= 64 else { return nil }
        // A slip is a few edits: one in a short name, up to three in a long one.
        let allowed = min(3, max(1, typed.count / 5))
        var best: (name: String, distance: Int)?
        var tied = false
        let stem = idStem(typed)
        for candidate in candidates where candidate != given {
            let other = Array(candidate.lowercased().unicodeScalars)
            var distance = editDistance(typed, other, limit: allowed)
            // The id's suffix left off or another written (provider, workerId): one slip.
            if distance > 1, idStem(other) == stem { distance = 1 }
            guard distance <= allowed else { continue }
            if let current = best, distance >= current.distance {
                if distance == current.distance { tied = true }
                continue
            }
            best = (candidate, distance)
            tied = false
        }
        return tied ? nil : best?.name
    }

    /// `" (did you mean X?)"` for the nearest of `candidates`, or nothing: to end a refusal with.
    package static func hint(for given: String, among candidates: some Sequence<String>) -> String {
        suggestion(for: given, among: candidates).map { " (did you mean \($0)?)" } ?? ""
    }

    /// `name` (lowercased) without the suffix that marks an id field, `id` or `ref`
    /// (`providerid` and `workerref` are `provider` and `worker`); itself without one.
    private static func idStem(_ name: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
        for suffix in ["id", "ref"] {
            let tail = Array(suffix.unicodeScalars)
            if name.count > tail.count, name.suffix(tail.count).elementsEqual(tail) { return name.dropLast(tail.count) }
        }
        return name[...]
    }

    /// Levenshtein distance, counting a swap of two neighbours as one edit; anything over
    /// `limit` is reported as `limit + 1`.
    private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowBest = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                var distance = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { distance = min(distance, before[j - 2] + 1) }
                current[j] = distance
                rowBest = min(rowBest, distance)
            }
            if rowBest > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return min(previous[b.count], limit + 1)
    }
}
