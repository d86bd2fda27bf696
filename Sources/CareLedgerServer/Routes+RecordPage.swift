internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import LedgerJSON
internal import SpreadsheetRows
internal import NIOCore
internal import Foundation
internal import HTTPTypes

extension CareLedgerServer {
    /// `GET /record` and `POST /record`: a page on which a person with the writer role pastes a
    /// spreadsheet's rows (a provider's return) and checks them, then records them as one atomic
    /// batch, as `careledger record TYPE --rows FILE` does, every refusal naming the row's line.
    /// No scripts: a form, posted to this site only (the cookie is `SameSite=Strict`, the page's
    /// policy allows no other `form-action`, and a post whose `Origin` is another site is refused).
    static func addRecordPage(to router: Router<BasicRequestContext>, models: ReadModels, access: AccessControl, writes: Lane, sheets: SheetReader) {
        router.get("record") { request, _ in
            if let refusal = try recordRefusal(request, access: access) { return refusal }
            let type = request.uri.queryParameters["type"].flatMap { EventType(rawValue: String($0)) }
            let template = type.flatMap { EventCatalogue.standard.entry($0, version: 1) }.map { $0.rowColumns.joined(separator: ",") + "\n" }
            return html(recordPage(type: type, rows: template ?? "", outcome: nil))
        }
        router.post("record") { request, context in
            if let refusal = try recordRefusal(request, access: access) { return refusal }
            if let refusal = CrossOriginWrite.refusal(of: request) {
                return html(recordPage(type: nil, rows: "", outcome: .refused([refusal.prefix(1).uppercased() + refusal.dropFirst() + "."])), status: .forbidden)
            }
            let posted = try await collectBody(of: request, upTo: maximumBody, what: "a form of rows",
                                               instead: "record a return this large with careledger record TYPE --rows FILE")
            let form: RecordForm
            do {
                // The form's file is read as a workbook: on the pool, one at a time, not on the event loop.
                form = try await readingSpreadsheet { [contentType = request.headers[.contentType]] in
                    try await RecordForm.read(body: posted, contentType: contentType, sheets: sheets)
                }
            } catch let error as LedgerError {
                return html(recordPage(type: nil, rows: "", outcome: .refused([error.description, "Nothing was written."])), status: .badRequest)
            }
            let rows = form.rows
            // No type chosen: the rows' type column names each row's.
            let type = form.type.flatMap(EventType.init(rawValue:))
            if let problem = form.fileProblem {
                return html(recordPage(type: type, rows: rows, outcome: .refused([problem.description, "Nothing was written."]), chosen: form.chosen, earlier: form), status: .badRequest)
            }
            if let named = form.type, !named.isEmpty, type == nil {
                return html(recordPage(type: nil, rows: rows, outcome: .refused(["\(named) is not an event type of the catalogue."])), status: .badRequest)
            }
            if form.action == "columns" {
                guard let type, let entry = EventCatalogue.standard.entry(type, version: 1) else {
                    return html(recordPage(type: nil, rows: rows, outcome: .refused(["Choose a type to start from its columns."])), status: .badRequest)
                }
                return html(recordPage(type: type, rows: entry.rowColumns.joined(separator: ",") + "\n", outcome: nil))
            }
            let events: [EventCatalogue.Entry.RowEvent]
            do {
                // On the pool, not the event loop: a large file's rows are seconds of work.
                events = try await readingSpreadsheet { [source = form.chosen.name ?? "the pasted text", sheetRows = form.sheetRows] in
                    try EventCatalogue.standard.events(ofRows: try sheetRows ?? CSVRows(Array(rows.utf8)), source: source, type: type)
                }
                guard !events.isEmpty else { throw LedgerError(.rejected, "the rows hold a header and no events") }
            } catch let error as LedgerError {
                return html(recordPage(type: type, rows: rows, outcome: .refused([error.description]), chosen: form.chosen, earlier: form), status: .badRequest)
            }
            if try !access.holds(.staff, request) && events.contains(where: { $0.event["type"] == .string(EventType.personalDataErased.rawValue) }) {
                return html(recordPage(type: type, rows: rows, outcome: .refused(["PersonalDataErased destroys a worker's key: the staff role erases."])), status: .forbidden)
            }
            // Who recorded them, and how, where the rows do not say: what an auditor asks of a return.
            let actor = access.callerName(of: request)
            func withMeta(_ row: EventCatalogue.Entry.RowEvent) -> JSONValue { Self.addingMeta(["actor": actor, "source": "dashboard:record"], to: row.event) }
            let unavailable = { (error: LedgerError) in
                recordPage(type: type, rows: rows, outcome: .refused([error.description, "Nothing was written."]), chosen: form.chosen, earlier: form)
            }
            return try await showingUnavailable(request, context.logger, on: unavailable) {
                if !form.earlierRows.allSatisfy(\.isWhitespace) {
                    return try await replacing(form, rows: events, type: type, actor: actor, withMeta: withMeta, models: models, writes: writes)
                }
                let body = EventCatalogue.Entry.RowEvent.alignedBody(events.map { row in EventCatalogue.Entry.RowEvent(line: row.line, event: withMeta(row)) })
                if form.action == "record" {
                    do {
                        let result = try await writes.run { try models.ledger.append(body: body) }
                        return html(recordPage(type: type, rows: "", outcome: .recorded(result), chosen: form.chosen, note: result.datedAhead.note), status: result.onlyDuplicates ? .ok : .created)
                    } catch let error as LedgerError where BatchCheck.refusesOneEvent(error) {
                        return html(recordPage(type: type, rows: rows, outcome: .refused([error.description, "Nothing was written. Check the rows to see every problem at once."]), chosen: form.chosen, earlier: form),
                                    status: .badRequest)
                    }
                }
                let report = try await writes.run { try models.ledger.checkAppend(body: body) }
                return html(recordPage(type: type, rows: rows, outcome: .checked(report), chosen: form.chosen, note: report.datedAhead.note), status: report.problems.isEmpty ? .ok : .badRequest)
            }
        }
    }

    /// The page a request without the writer role gets instead (a sign-in form without a token),
    /// or `nil` for one that may record.
    static func recordRefusal(_ request: Request, access: AccessControl) throws -> Response? {
        if let refusal = refusalWithoutTokens(request, access: access) { return refusal }
        guard let roles = try access.roles(of: AccessControl.token(of: request), in: request) else { return signIn(status: .unauthorized, message: nil) }
        guard roles.contains(.writer) else {
            return html(page(title: "CareLedger", body: "<h1>CareLedger</h1><p>This token (\(escape(roles.sorted().map(\.rawValue).joined(separator: ", ")))) may not record events: it needs the writer role (careledger tokens add NAME --role staff --role writer).</p><p><a href=\"/\">Back to the dashboard</a></p>"), status: .forbidden)
        }
        return nil
    }

    /// What became of the rows: checked, recorded, or refused with what to mend; or, for a
    /// corrected return, what replacing the earlier one would do or did.
    enum RecordOutcome {
        case checked(BatchCheck)
        case recorded(AppendResult)
        case refused([String])
        case said(String)
    }

    /// The most of a chosen file's rows the page shows in its box: a workbook of some megabytes
    /// can unpack to tens of megabytes of rows, more than a browser's text box should be sent.
    static let largestFileShown = 4 << 20
    /// The most problems a check lists on the page.
    static let largestProblemsShown = 200

    /// The page, with the rows to show in its text box and what became of the last post;
    /// `chosen` tells of the file the rows came from, when they came as one (rows pasted are
    /// always shown again: the box is where the person's text is), and of its sheets.
    /// `note` is said of the rows above the outcome: rows dated after today, say.
    static func recordPage(type: EventType?, rows: String, outcome: RecordOutcome?, chosen: RecordForm.ChosenFile = .init(), note: String? = nil,
                           earlier: RecordForm? = nil) -> String {
        let fileName = chosen.name
        let tooManyToShow = fileName != nil && rows.utf8.count > largestFileShown
        let rows = tooManyToShow ? "" : rows
        var body = "<h1>Record a spreadsheet's rows</h1><p class=\"note\">Each row an event of one type, all of them one atomic batch: "
            + "every row lands, or none does. Paste the cells from the spreadsheet, or choose its file (\(Workbook.kinds) as it came, or CSV saved as \"CSV UTF-8\"); "
            + "the header names the columns (the first line with occurredOn: a title above it is not read): occurredOn, the fields (a list's values in one cell, \"fees,debt\"), and id and "
            + "meta.KEY if wanted; a column type names each row's own type where the rows mix them (starters and leavers in one "
            + "return), its cells blank where a row's type has no such field. Choose a type to start from its columns. <a href=\"/\">Dashboard</a></p>"
        if let fileName, tooManyToShow {
            body += "<p class=\"note\" id=\"file\">The rows of \(escape(fileName)) are too many to show here: to record them as checked, choose the file again and press Record.</p>"
        } else if let fileName, !rows.isEmpty {
            body += "<p class=\"note\" id=\"file\">The rows of \(escape(fileName)) are in the box below: Record records them as they stand there.</p>"
        } else if let fileName {
            body += "<p class=\"note\" id=\"file\">From \(escape(fileName)).</p>"
        }
        if let otherSheets = chosen.otherSheets {
            body += "<p class=\"note\" id=\"sheets\">\(escape(otherSheets.prefix(1).uppercased() + otherSheets.dropFirst() + ": choose the file again with a sheet's name to read another."))</p>"
        }
        if let note {
            body += "<p class=\"note\" id=\"ahead\">\(escape(note.prefix(1).uppercased() + note.dropFirst())).\(correctionLinks(outcome))</p>"
        }
        switch outcome {
        case .checked(let report)?:
            // One mistake may repeat down a long return (a value out of its list): the first problems say what to mend.
            let shown = report.problems.prefix(largestProblemsShown)
            let lines = shown.map { "<li>\(escape($0.description))</li>" }.joined()
                + (report.problemCount > shown.count ? "<li>and \(report.problemCount - shown.count) more problems (the first \(shown.count) are shown)</li>" : "")
            body += report.problems.isEmpty
                ? "<p class=\"notice\" id=\"outcome\">Checked \(report.events) row\(report.events == 1 ? "" : "s"): \(report.wouldAppend) would be recorded\(report.duplicates > 0 ? ", \(report.duplicates) already stored" : ""). Nothing was written yet.</p>"
                : "<div class=\"notice\" id=\"outcome\"><p>\(report.refused) of \(report.events) rows would be refused; nothing is written until every problem is mended:</p><ul>\(lines)</ul></div>"
        case .recorded(let result)?:
            let appended = result.positions.filter { !$0.wasDuplicate }
            let span = appended.first.map { "seq \($0.seq) to \(appended.last!.seq)" } ?? "none new"
            body += "<p class=\"notice\" id=\"outcome\">Recorded \(appended.count) event\(appended.count == 1 ? "" : "s") (\(span)); head \(result.head.seq):\(escape(result.head.hash.description)).</p>"
        case .refused(let messages)?:
            body += "<div class=\"notice\" id=\"outcome\">" + messages.map { "<p>\(escape($0))</p>" }.joined() + "</div>"
        case .said(let text)?:
            body += "<p class=\"notice\" id=\"outcome\">\(escape(text))</p>"
        case nil:
            break
        }
        // The last workbook's sheets, offered as the field is typed in.
        let sheetList = chosen.sheetNames.isEmpty ? ""
            : "<datalist id=\"sheet-names\">" + chosen.sheetNames.map { "<option value=\"\(escape($0))\"></option>" }.joined() + "</datalist>"
        let options = EventType.allCases.map { candidate in
            "<option\(candidate == type ? " selected" : "")>\(candidate.rawValue)</option>"
        }.joined()
        body += """
        <form method="post" action="/record" enctype="multipart/form-data" class="query"><p><label>Type <select name="type"><option value="">each row's, from its type column</option>\(options)</select></label>
        <button type="submit" name="action" value="columns">Start from its columns</button>\(type.map { " A sheet of its columns to send out: a workbook, <a id=\"workbook\" href=\"/v1/schemas?format=xlsx&amp;types=\($0.rawValue)\">.xlsx</a> or <a id=\"workbook-ods\" href=\"/v1/schemas?format=ods&amp;types=\($0.rawValue)\">.ods</a>, its dates and values checked as they are typed, or <a id=\"sheet\" href=\"/v1/schemas?format=csv&amp;types=\($0.rawValue)\">CSV</a>" } ?? "")</p>
        <p><label>A file of rows <input type="file" name="file" accept=".csv,.tsv,.txt,.xlsx,.ods,.fods,.xml,.xls,text/csv,text/tab-separated-values"></label> (its rows take the place of the box's);
        <label>its sheet <input name="sheet" size="16" list="sheet-names" value="\(escape(chosen.sheet))">\(sheetList)</label> (a workbook's, by the name on its tab; blank for the first)</p>
        <p><label>Rows (CSV)<br><textarea name="rows" rows="14" cols="110" spellcheck="false">\(escape(rows))</textarea></label></p>
        <details\((earlier?.earlierRows.isEmpty ?? true) ? "" : " open")><summary>A corrected return: the one it replaces</summary>
        <p class="note">When these rows correct a return recorded before, give that return too: its rows these no longer have are retracted, these rows it had not are recorded, and the rows of both are left, in one batch.\(earlier?.earlierName.map { " From \(escape($0)).<input type=\"hidden\" name=\"earlierName\" value=\"\(escape($0))\">" } ?? "")</p>
        <p><label>Its file <input type="file" name="earlierFile" accept=".csv,.tsv,.txt,.xlsx,.ods,.fods,.xml,.xls,text/csv,text/tab-separated-values"></label> (its rows take the place of the box's);
        <label>its sheet <input name="earlierSheet" size="16" value="\(escape(earlier?.earlierSheet ?? ""))"></label> (blank for the sheet named above, else the first)</p>
        <p><label>Its rows (CSV)<br><textarea name="earlierRows" rows="6" cols="110" spellcheck="false">\(escape(earlier?.earlierRows ?? ""))</textarea></label></p>
        <p><label>Why its rows no longer here are retracted <input name="reason" value="\(escape(earlier?.reason ?? ""))" size="60"></label> (default: replaced by a corrected return)</p></details>
        <button type="submit" name="action" value="check">Check</button> <button type="submit" name="action" value="record">Record</button></form>
        """
        return page(title: "CareLedger: record rows", body: body)
    }

    /// For rows recorded dated ahead, a link to correct each of those named (`/correct`), or nothing.
    static func correctionLinks(_ outcome: RecordOutcome?) -> String {
        guard case .recorded(let result)? = outcome else { return "" }
        let seqs = result.datedAhead.listed.compactMap { event -> Seq? in
            if case .landed(let seq) = event.place { return seq } else { return nil }
        }
        guard !seqs.isEmpty else { return "" }
        return " Correct " + seqs.map { "<a href=\"/correct?seq=\($0)\">seq \($0)</a>" }.joined(separator: ", ") + "."
    }

    /// `event` with the `meta` entries of `defaults` it does not already have.
    static func addingMeta(_ defaults: [String: String], to event: JSONValue) -> JSONValue {
        guard case .object(var members) = event else { return event }
        var meta: [(String, JSONValue)] = []
        if let index = members.firstIndex(where: { $0.0 == "meta" }), case .object(let existing) = members[index].1 {
            meta = existing
            members.remove(at: index)
        }
        for (key, value) in defaults.sorted(by: { $0.key < $1.key }) where !meta.contains(where: { $0.0 == key }) {
            meta.append((key, .string(value)))
        }
        return .object(members + [("meta", .object(meta))])
    }
}
