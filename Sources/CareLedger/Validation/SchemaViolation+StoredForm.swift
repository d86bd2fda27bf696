extension SchemaViolation {
    /// The members the ledger adds to an event when it stores it (SPEC 2), which no event as
    /// written may carry: `stream` may be sent, so it is not among them.
    static let storedOnlyMembers: Set<String> = ["/seq", "/streamVersion", "/recordedAt", "/hash"]

    /// `violations`, with the refusals of members only a stored event has told as one.
    ///
    /// An event copied from `careledger read` or `GET /v1/events` (to record it again with a
    /// mistake mended, or into another ledger) carries them, and was refused member by member,
    /// "/hash: is not a known field here", as if it were a typing slip: it says what the event is
    /// and what to send instead.
    static func foldingStoredForm(_ violations: [SchemaViolation]) -> [SchemaViolation] {
        let stored = violations.filter { storedOnlyMembers.contains($0.pointer) && $0.rule.hasPrefix("is not a known field here") }
        guard let first = stored.first, let place = violations.firstIndex(of: first) else { return violations }
        let others = stored.dropFirst().map { String($0.pointer.dropFirst()) }
        let rule = if others.isEmpty {
            "is added by the ledger when it stores an event: send the event as written, without it"
        } else {
            "is added by the ledger when it stores an event, as are \(others.count == 1 ? others[0] : others.dropLast().joined(separator: ", ") + " and " + others.last!): "
                + "this is an event as `read` serves it; send it as written, without them (and without its id if you changed anything: an id names one content)"
        }
        let told = SchemaViolation(pointer: first.pointer, rule: rule)
        var folded = violations.filter { !stored.contains($0) }
        folded.insert(told, at: min(place, folded.count))
        return folded
    }
}
