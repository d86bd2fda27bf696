internal import CareLedger

extension DashboardPage {
    /// The most events listed on the page; the rest are a download away.
    static let changesListed = 100

    /// What was recorded since a digest checked on the page that changes figures as of the
    /// page's date (`careledger changes`): why figures quoted with that digest may read
    /// differently now, or that they do not. A board reads the counts; staff and auditors the
    /// events too.
    func changesSince(_ changes: RecordChanges) -> String {
        var html = "<p class=\"note\" id=\"digest-changes\">Since it: \(escape(changes.verdict))</p>"
        guard !published, !changes.entries.isEmpty else { return html }
        let rows = changes.entries.prefix(Self.changesListed).map { entry in
            [String(entry.seq.rawValue), escape(entry.recordedAt.description), escape(entry.occurredOn.description), escape(entry.type.rawValue),
             escape(changes.why(entry)), escape(entry.summary)]
        }
        html += htmlTable("changes", ["seq", "recorded", "occurred", "type", "why", "summary"], Array(rows), numeric: [0])
        if changes.entries.count > Self.changesListed {
            html += "<p class=\"note\">The first \(Self.changesListed) of \(changes.entries.count); all of them: <code>careledger changes --since \(escape(changes.then.digestLine)) --as-of \(escape(changes.asOf.description))</code>, or <code>GET /v1/changes</code>.</p>"
        }
        return html
    }
}
