internal import CareLedger
internal import Timelines
internal import ProjectionKit

extension DashboardPage {
    /// The programme month by month (SPEC 5.4's `timeline programme`): what a board reads, where
    /// it reads no one's timeline. Months not yet begun on the page's date are left out: the
    /// JSON route answers every month of the period, and a month still to come would show the
    /// cases open today as open at its end. The month in progress is marked so.
    func programmeSection(_ figure: Figure) -> String {
        let period = programme.period
        var html = "<h2>The programme month by month, \(escape(period.description)) (\(escape(period.from.description)) to \(escape(period.to.description)))</h2>"
        html += "<p class=\"note\">" + csvLink("/v1/timeline/programme", [("period", period.description), ("knownAt", programme.knownAt.description)]
                                                 + (published ? [("publish", "true")] : []))
        html += " Events dated in each month; open cases on its last day.</p>"
        let begun = programme.months.filter { $0.month.from <= asOf }
        guard !begun.isEmpty else { return html + "<p class=\"note\">No month of \(escape(period.description)) has begun by \(escape(asOf.description)).</p>" }
        let rows = begun.map { month in
            [escape(month.month.description) + (month.month.to > asOf ? " (to \(escape(asOf.description)))" : ""),
             escape(figure.cell(month.openCases)), escape(figure.cell(month.casesOpened)), escape(figure.cell(month.casesClosed.values.reduce(0, +))),
             escape(figure.cell(month.displacements)), escape(figure.cell(month.placementsSelfReported)), escape(figure.cell(month.placementsVerified)),
             escape(figure.cell(month.supportEpisodes)), escape(figure.cell(month.employmentStarts)), escape(figure.cell(month.employmentEnds))]
        }
        html += htmlTable("programme", ["month", "open cases", "cases opened", "cases closed", "displacements", "placed (self-reported)",
                                        "placed (verified)", "support episodes", "employment starts", "employment ends"], rows, numeric: Set(1...9))
        let events = begun.flatMap(\.organisationalEvents)
        guard !events.isEmpty else { return html }
        let items = events.map { event in
            "<li>\(escape(event.occurredOn.description)) \(escape(event.summary))\(event.retractedBy.map { " <span class=\"flag\">retracted by seq \($0)</span>" } ?? "")</li>"
        }
        return html + "<p class=\"note\">Sponsor licences and partners in these months:</p><ul id=\"organisational-events\">" + items.joined() + "</ul>"
    }
}
