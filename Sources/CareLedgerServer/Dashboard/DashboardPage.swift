internal import CareLedger
internal import Caseload
internal import Retention
internal import PartnerActivity
internal import Timelines
internal import ReadModels
internal import ProjectionKit

/// The dashboard (`GET /`): the caseload with its flags, a retention chart drawn as SVG, partner
/// activity for a period, the programme month by month, and a worker's or case's timeline, all rendered by the server from the
/// same answers the JSON routes give. Published (a board), counts are disclosure-controlled and no
/// row about a person appears.
struct DashboardPage {
    var caseload: Caseload
    var retention: Retention
    var partners: PartnerActivity
    var programme: ProgrammeTimeline
    /// The page's date: what each section answers as of.
    var asOf: LocalDate
    var timeline: Timeline?
    var timelineRequest: String
    var published: Bool
    var roles: [String]
    /// The log's head as it stood at the page's instant: what every figure on it rests on.
    var basis: LogHead
    /// A digest quoted earlier that the page was asked to check, and the verification's answer.
    var digestCheck: DigestCheck? = nil
    /// What the newest whole verification found (on request or on the server's schedule), if
    /// one has run since the server started.
    var lastVerification: LastVerification.Finding? = nil
    /// Whether the token came from the sign-in cookie, which the page then offers to forget.
    var signedIn: Bool = false
    /// Whether the token may record events too (the writer role): the page then links to
    /// `/record`, and a timeline's seqs to `/correct`.
    var records: Bool = false
    var notice: String?

    var html: String {
        let figure = Figure(publish: published)
        var body = "<h1>CareLedger: International Recruitment Programme</h1>"
        body += "<p class=\"note\">As of \(escape(caseload.asOf.description)), known at \(escape(caseload.knownAt.description)). "
        body += "Signed in as: \(escape(roles.joined(separator: ", ")))\(published ? " (published figures: counts of 1 to 4 read &lt;5, others are rounded to 5, rates over fewer than 10 are withheld)" : "").</p>"
        body += "<p class=\"note\">These figures rest on the log up to seq \(basis.seq): digest <code id=\"digest\">\(escape(basis.digestLine))</code>. "
        body += "Quoted with them, it lets anyone check later that the log they came from still stands (<code>careledger verify --digest</code>, or the form below).</p>"
        body += lastVerificationResult() + digestCheckResult()
        if records { body += "<p class=\"note\"><a id=\"record\" href=\"/record\">Record a spreadsheet's rows</a> (a provider's return, checked first).</p>" }
        if signedIn { body += "<form method=\"post\" action=\"/signout\"><button type=\"submit\">Sign out</button></form>" }
        body += """
        <form class="query" method="get" action="/">
        <label>As of <input name="asOf" value="\(escape(caseload.asOf.description))" size="10"></label>
        <label>Partner period <input name="period" value="\(escape(partners.period.description))" size="10"></label>
        <label>Retention period <input name="retention" value="\(escape(retention.period.description))" size="10"></label>
        <label>Programme period <input name="programme" value="\(escape(programme.period.description))" size="10"></label>
        <label>Timeline <input name="timeline" value="\(escape(timelineRequest))" placeholder="worker:W-00123" size="16"></label>
        <button type="submit">Show</button></form>
        """
        if let notice { body += "<p class=\"notice\">\(escape(notice))</p>" }
        // Figures first, then the rows: a board's page and a programme officer's read the same way.
        body += caseloadTotals(figure) + retentionSection(figure) + partnerSection(figure) + programmeSection(figure) + caseRows() + timelineSection() + digestSection()
        return page(title: "CareLedger dashboard", body: body)
    }

    /// A digest checked: whether the log still extends it, and if it does, what was recorded
    /// since that changes figures as of the page's date.
    struct DigestCheck {
        let digest: PublishedDigest
        let report: VerificationReport
        var changes: RecordChanges?
        /// The figures those changes restated (published for a board).
        var figures: FigureChanges?
    }

    /// A form to check a digest quoted earlier (a board paper's); the answer shows at the top.
    func digestSection() -> String {
        var html = "<h2>Check a published digest</h2>"
        html += "<p class=\"note\">Paste a digest quoted with earlier figures: the whole log is verified, and the event at its seq must still have its hash. "
        html += "If it does, nothing the figures rested on has been rewritten since.</p>"
        html += """
        <form class="query" method="get" action="/"><label>Digest <input name="digest" value="\(escape(digestCheck?.digest.description ?? ""))" placeholder="1200:9f86d0…" size="72"></label>
        <button type="submit">Check</button></form>
        """
        return html
    }

    /// What the newest whole verification found: a board sees whether the record it reads last
    /// verified, and a failure stands out.
    func lastVerificationResult() -> String {
        guard let last = lastVerification else { return "" }
        let when = escape(last.finishedAt.description)
        guard let report = last.report else {
            return "<p class=\"notice\" id=\"last-verification\">The last verification of the whole log, at \(when), could not read it: \(escape(last.error ?? "a storage error")).</p>"
        }
        if report.ok {
            return "<p class=\"note\" id=\"last-verification\">The whole log was last verified at \(when): intact from seq 1 to seq \(report.head.seq).</p>"
        }
        let at = report.firstBadSeq.map { " at seq \($0)" } ?? ""
        return "<p class=\"notice\" id=\"last-verification\">The last verification of the whole log, at \(when), FAILED\(at): \(escape(report.detail ?? "the chain does not verify")).</p>"
    }

    /// Whether the log extends the digest the page was asked to check, if it was.
    func digestCheckResult() -> String {
        guard let check = digestCheck else { return "" }
        if check.report.ok {
            return "<p class=\"note\" id=\"digest-check\">The log extends \(escape(check.digest.description)): the chain verifies from seq 1 to the head, seq \(check.report.head.seq), and seq \(check.digest.seq) still has that hash.</p>"
                + (check.changes.flatMap { changes in check.figures.map { figuresSince($0, of: changes) } } ?? "")
                + (check.changes.map(changesSince) ?? "")
        }
        let at = check.report.firstBadSeq.map { " at seq \($0)" } ?? ""
        return "<p class=\"notice\" id=\"digest-check\">The check FAILED\(at): \(escape(check.report.detail ?? "the chain does not verify")).</p>"
    }

    func caseloadTotals(_ figure: Figure) -> String {
        var html = "<h2>Current caseload</h2>"
        html += "<p class=\"note\">" + csvLink("/v1/caseload", viewParameters(asOf: caseload.asOf, knownAt: caseload.knownAt)) + "</p>"
        html += "<div class=\"totals\"><span>Open cases <span class=\"big\" id=\"open-cases\">\(escape(figure.cell(caseload.openCases)))</span></span>"
        html += "<span>By type: \(escape(figure.cell(caseload.byType)))</span><span>By owner: \(escape(figure.cell(caseload.byOwnerPartner)))</span></div>"
        return html + (published ? "<p class=\"note\">Case rows are row-level data about people and are not published.</p>" : "")
    }

    func caseRows() -> String {
        if published { return "" }
        let html = "<h2>Open cases on \(escape(caseload.asOf.description))</h2>"
        let rows = caseload.rows.map { row in
            [escape(row.caseId), escape(row.workerRef), escape(row.caseType), escape(row.channel), escape(row.ownerPartnerId), escape(row.laCode ?? "-"),
             escape(row.openedOn.description), String(row.daysOpen), escape(row.windowEndsOn?.description ?? "-"), row.daysLeft.map(String.init) ?? "-",
             row.flags.map { "<span class=\"flag\">\(escape($0))</span>" }.joined()]
        }
        return html + htmlTable("caseload", ["case", "worker", "type", "channel", "owner", "LA", "opened", "days open", "window ends", "days left", "flags"],
                                rows, numeric: [7, 9])
    }

    /// Employer and sector retention by cohort month at each horizon, as lines on a scale from a
    /// round figure below the lowest rate shown up to 100%.
    func retentionSection(_ figure: Figure) -> String {
        let cohorts = retention.rows
        var html = "<h2>Retention of starters in \(escape(retention.period.description))</h2>"
        html += "<p class=\"note\">" + csvLink("/v1/retention", [("period", retention.period.description)]
                                                 + viewParameters(asOf: retention.asOf, knownAt: retention.knownAt)) + "</p>"
        guard !cohorts.isEmpty else { return html + "<p class=\"note\">No starters in this period.</p>" }
        // The right margin holds the legend; its longest label, "employer 12 months", needs 170.
        let width = 780.0, height = 280.0, left = 48.0, right = 170.0, top = 12.0, bottom = 36.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        // A rate the chart shows: none before its cohort is observable, and, published, none
        // over fewer than 10 eligible (SPEC 5.5), which the scale must not betray either.
        func shownRate(_ row: CohortRow, _ horizon: Int, employer: Bool) -> Double? {
            guard let figures = row.horizons[horizon], figures.eligible > 0,
                  !(published && Disclosure.suppresses(denominator: figures.eligible)) else { return nil }
            return Figures.rate(employer ? figures.employerRetained : figures.sectorRetained, figures.eligible)
        }
        let shown = retention.horizons.flatMap { horizon in cohorts.flatMap { row in [true, false].compactMap { shownRate(row, horizon, employer: $0) } } }
        // The scale starts a little below the lowest rate shown, so that differences can be seen.
        let lowest = shown.min() ?? 0
        let floor = max(0, ((lowest - 0.05) * 10).rounded(.down) / 10)
        func x(_ i: Int) -> Double { left + (cohorts.count == 1 ? plotWidth / 2 : plotWidth * Double(i) / Double(cohorts.count - 1)) }
        func y(_ rate: Double) -> Double { top + plotHeight * (1 - (rate - floor) / (1 - floor)) }
        func at(_ value: Double) -> String { String(Double(Int(value * 10)) / 10) }
        var svg = "<svg id=\"retention-chart\" role=\"img\" aria-label=\"Retention by cohort month: the figures are in the table that follows the chart\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        // Gridlines at whole percents a round step apart (5, 10 or 20), down from 100%: at most six.
        let floorPercent = Int((floor * 100).rounded())
        let stepPercent = [5, 10, 20].first { (100 - floorPercent) / $0 <= 5 } ?? 20
        for percent in stride(from: 100, through: floorPercent, by: -stepPercent) {
            let tick = Double(percent) / 100
            svg += "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(at(y(tick)))\" y2=\"\(at(y(tick)))\" stroke=\"#e4e7ee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(at(y(tick) + 4))\" font-size=\"11\" text-anchor=\"end\">\(percent)%</text>"
        }
        let step = max(1, cohorts.count / 8)
        for (i, row) in cohorts.enumerated() where i % step == 0 {
            svg += "<text x=\"\(at(x(i)))\" y=\"\(height - 14)\" font-size=\"11\" text-anchor=\"middle\">\(escape(row.cohort))</text>"
        }
        let colours = ["#1f6feb", "#8250df", "#bf3989"]
        var legend = 0
        for (h, horizon) in retention.horizons.enumerated() {
            for (kind, dashed) in [("employer", false), ("sector", true)] {
                var points: [String] = []
                for (i, row) in cohorts.enumerated() {
                    guard let rate = shownRate(row, horizon, employer: kind == "employer") else { continue }
                    points.append("\(at(x(i))),\(at(y(rate)))")
                }
                let colour = colours[h % colours.count]
                if !points.isEmpty {
                    svg += "<polyline class=\"series\" data-series=\"\(kind)-\(horizon)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5 3\"" : "") points=\"\(points.joined(separator: " "))\"/>"
                }
                let ly = top + 14 + Double(legend) * 16
                svg += "<line x1=\"\(width - right + 12)\" x2=\"\(width - right + 36)\" y1=\"\(ly - 4)\" y2=\"\(ly - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
                svg += "<text x=\"\(width - right + 42)\" y=\"\(ly)\" font-size=\"11\">\(kind) \(horizon) months</text>"
                legend += 1
            }
        }
        if shown.isEmpty {
            let why = published ? "each rests on fewer than 10 eligible, and is withheld" : "no cohort is observable yet"
            svg += "<text x=\"\(at(left + plotWidth / 2))\" y=\"\(at(top + plotHeight / 2))\" font-size=\"13\" text-anchor=\"middle\" fill=\"#57606a\">No rate shown: \(why)</text>"
        }
        svg += "</svg>"
        html += svg + "<p class=\"note\">Solid: retained by the same employer; dashed: retained in the sector (any spell open at the checkpoint). A month's point appears once its cohort is observable\(published ? " and at least 10 are eligible" : "").</p>"
        return html + retentionFigures(figure)
    }

    /// The chart's figures as a table: the text alternative for anyone who cannot see the chart
    /// (a screen reader announces only the chart's label), and the exact figures for anyone who
    /// wants to quote them. Published, counts are disclosure-controlled and a rate over fewer
    /// than 10 eligible reads "withheld", as the chart leaves its point out.
    func retentionFigures(_ figure: Figure) -> String {
        var header = ["cohort", "starters"]
        for horizon in retention.horizons {
            header += ["eligible at \(horizon) months", "same employer at \(horizon) months", "in the sector at \(horizon) months"]
        }
        let rows = retention.rows.map { row in
            var cells = [escape(row.cohort), escape(figure.cell(row.starters))]
            for horizon in retention.horizons {
                let figures = row.horizons[horizon, default: HorizonFigures()]
                cells.append(escape(figure.cell(figures.eligible)))
                for retained in [figures.employerRetained, figures.sectorRetained] {
                    cells.append(percentCell(retained, of: figures.eligible))
                }
            }
            return cells
        }
        return "<details><summary>The chart's figures</summary>"
            + htmlTable("retention-figures", header, rows, numeric: Set(1..<header.count)) + "</details>"
    }

    /// A retention rate as a percent to one decimal place (`91.7%`); `-` before any spell of the
    /// cohort is observable; `withheld` where publishing suppresses it.
    func percentCell(_ retained: Int, of eligible: Int) -> String {
        guard let rate = Figures.rate(retained, eligible) else { return "-" }
        if published && Disclosure.suppresses(denominator: eligible) { return "withheld" }
        let tenths = Int((rate * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    func partnerSection(_ figure: Figure) -> String {
        let rows = partners.partners.map { row in
            [escape(row.partnerId), escape(row.name), escape(row.kind), escape(figure.cell(row.casesOpened)),
             escape(figure.cell(row.casesClosed.values.reduce(0, +))), escape(figure.cell(row.referralsReceived)), escape(figure.cell(row.referralsMade)),
             escape(figure.cell(row.supportEpisodes.values.reduce(0, +))), escape(figure.cell(row.workersSupported.count)),
             escape(figure.cell(row.placementsSelfReported + row.placementsVerified))]
        }
        return "<h2>Partner activity, \(escape(partners.period.description)) (\(escape(partners.period.from.description)) to \(escape(partners.period.to.description)))</h2>"
            + "<p class=\"note\">" + csvLink("/v1/partners", [("period", partners.period.description)] + viewParameters(asOf: partners.asOf, knownAt: partners.knownAt)) + "</p>"
            + htmlTable("partners", ["partner", "name", "kind", "cases opened", "cases closed", "referrals received", "referrals made", "support episodes",
                                     "workers supported", "placements"], rows, numeric: Set(3...9))
    }

    /// The viewpoint a section was drawn from, for its download, published as the page is.
    private func viewParameters(asOf: LocalDate, knownAt: Instant) -> [(String, String)] {
        [("asOf", asOf.description), ("knownAt", knownAt.description)] + (published ? [("publish", "true")] : [])
    }

    func timelineSection() -> String {
        guard let timeline else { return "" }
        // A token that may record may correct: each event not retracted links to its correction
        // page, and has a box to correct several at once (a return filed under the wrong provider).
        func correctable(_ entry: TimelineEntry) -> Bool { records && !entry.retracted && entry.type != .eventRetracted }
        let boxes = timeline.entries.count(where: correctable) > 1
        let rows = timeline.entries.map { entry in
            let seq = String(entry.seq.rawValue)
            var cell = seq
            if correctable(entry) {
                cell = "<a href=\"/correct?seq=\(seq)\">\(seq)</a>"
                if boxes { cell = "<input type=\"checkbox\" name=\"seq\" value=\"\(seq)\" form=\"correct-selected\" aria-label=\"Tick seq \(seq)\"> " + cell }
            }
            return [cell, escape(entry.occurredOn.description), escape(entry.type.rawValue),
                    escape(entry.summary) + (entry.retractedBy.map { " <span class=\"flag\">retracted by seq \($0)</span>" } ?? "")]
        }
        let download = csvLink("/v1/timeline/\(timeline.kind.rawValue)/\(timeline.id)",
                               [("knownAt", timeline.knownAt.description)] + (published ? [("publish", "true")] : []))
        let correcting = records ? " A seq opens its event to correct a mistake in it; tick several to correct them at once." : ""
        let selected = boxes
            ? "<form id=\"correct-selected\" method=\"get\" action=\"/correct\" class=\"query\"><button type=\"submit\">Correct the ticked events</button></form>" : ""
        return "<h2>Timeline of \(escape(timeline.kind.rawValue)) \(escape(timeline.id))</h2><p class=\"note\">\(download)\(correcting)</p>"
            + htmlTable("timeline", ["seq", "occurred", "type", "summary"], rows, numeric: [0]) + selected
    }
}
