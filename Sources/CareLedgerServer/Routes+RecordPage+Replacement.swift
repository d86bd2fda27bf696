internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import LedgerJSON

extension CareLedgerServer {
    /// The `/record` page's rows as a corrected return in place of the earlier one the form
    /// gives (``ReturnReplacement``), checked or recorded as one batch, as `careledger record
    /// --rows FILE --replaces EARLIER` does.
    static func replacing(_ form: RecordForm, rows: [EventCatalogue.Entry.RowEvent], type: EventType?, actor: String,
                          withMeta: (EventCatalogue.Entry.RowEvent) -> JSONValue, models: ReadModels, writes: Lane) async throws -> Response {
        let newName = form.chosen.name ?? "the corrected return"
        let earlierName = form.earlierName ?? "the earlier return"
        func answer(_ outcome: RecordOutcome, _ status: HTTPResponse.Status, note: String? = nil) -> Response {
            html(recordPage(type: type, rows: form.rows, outcome: outcome, chosen: form.chosen, note: note, earlier: form), status: status)
        }
        let plan: ReturnReplacement
        let body: [UInt8]
        do {
            let earlier = try await readingSpreadsheet { [text = form.earlierRows] in
                try EventCatalogue.standard.events(ofRows: try CSVRows(Array(text.utf8), source: earlierName), source: earlierName, type: type)
            }
            // Each earlier row looked up in the log: on the pool, as the rows were read.
            plan = try await blocking { [ledger = models.ledger] in try ReturnReplacement(replacing: earlier, named: earlierName, by: rows, in: ledger) }
            if plan.changesNothing { return answer(.said(plan.nothingToChange(newName: newName) + " Nothing was written."), .ok) }
            let reason = form.reason.allSatisfy(\.isWhitespace) ? "Replaced by a corrected return" + (form.chosen.name.map { " (\($0))" } ?? "") : form.reason
            body = try plan.body(reason: reason, actor: actor, source: "dashboard:record", occurredOn: Instant.now().date, event: withMeta)
        } catch let error as LedgerError {
            return answer(.refused([error.description, "Nothing was written."]), .badRequest)
        }
        if form.action == "record" {
            do {
                let result = try await writes.run { try models.ledger.append(body: body) }
                return answer(.said(plan.done(result, newName: newName) + " Head \(result.head.seq):\(result.head.hash)."), .created, note: result.datedAhead.note)
            } catch let error as LedgerError where BatchCheck.refusesOneEvent(error) {
                return answer(.refused([plan.placed(error).description, "Nothing was written. Check the rows to see every problem at once."]), .badRequest)
            }
        }
        let report = try await writes.run { try models.ledger.checkAppend(body: body) }
        guard report.problems.isEmpty else {
            return answer(.refused(report.problems.prefix(largestProblemsShown).map { plan.placed($0).description } + ["Nothing is written until every problem is mended."]), .badRequest)
        }
        return answer(.said("Checked: \(plan.described(newName: newName)). Nothing was written yet."), .ok, note: report.datedAhead.note)
    }
}
