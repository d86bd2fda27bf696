internal import CareLedger
internal import ReadModels
internal import ProjectionKit

extension DashboardPage {
    /// The most events listed on the page; the rest are a download away.
    static let changesListed = 100

    /// The figures that read differently known at a digest checked on the page and known now:
    /// the caseload as of the page's date, and retention, partner activity and the programme
    /// from the start of its financial year to it; as published for a board.
    func figuresSince(_ figures: FigureChanges, of changes: RecordChanges) -> String {
        var html = "<p class=\"note\" id=\"digest-figures\">\(escape(figures.verdict)) (The caseload as of \(escape(figures.asOf.description)); retention, partner activity and the programme for \(escape(figures.period.description))\(figures.publish ? ", as published" : "").)"
        guard !figures.changes.isEmpty else { return html + "</p>" }
        // The file holds the figures on the screen: from the digest to the head the page read.
        html += csvLink("/v1/changes", [("since", changes.then.digestLine), ("until", changes.now.digestLine), ("asOf", figures.asOf.description), ("figures", "true")]) + "</p>"
        let rows = figures.changes.prefix(Self.changesListed).map { change in
            change.cells.map { escape($0.replacing(ReportTable.missing, with: "-")) }
        }
        html += htmlTable("figure-changes", ["read model", "row", "figure", "then", "now"], Array(rows), numeric: [3, 4])
        if figures.changes.count > Self.changesListed {
            html += "<p class=\"note\">The first \(Self.changesListed) of \(figures.changes.count); all of them: <code>careledger changes --since … --as-of \(escape(figures.asOf.description)) --figures</code>, or <code>GET /v1/changes</code>.</p>"
        }
        return html
    }

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
