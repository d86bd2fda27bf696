import CareLedger
import LedgerJSON

/// `record --rows FILE --replaces EARLIER`: a corrected return in place of the one recorded
/// before, in one atomic batch (``ReturnReplacement``).
extension RecordCommand {
    func replace(_ earlier: String, by rows: [EventCatalogue.Entry.RowEvent], of file: String, catalogue: EventCatalogue) throws {
        let name = InputFile.name(file)
        let (earlierName, earlierRows) = try earlierRowEvents(of: earlier, catalogue: catalogue)
        let ledger = try options.open()
        let plan = try ReturnReplacement(replacing: earlierRows, named: earlierName, by: rows, in: ledger)
        guard !plan.changesNothing else { return print(plan.nothingToChange(newName: name) + " Nothing was written.") }
        let body = try plan.body(reason: reason ?? "Replaced by a corrected return (\(name))", actor: operatingSystemUser,
                                 source: "careledger record --replaces", occurredOn: Instant.now().date)
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body, expectedVersions: expectations.versions) }
            if json { return try printCheck(report, of: name, json: true) }
            for problem in report.problems { print(plan.placed(problem)) }
            if let first = report.problems.first {
                print("Nothing of it would be written until every problem is mended.")
                throw CheckFailed(status: ExitStatus.code(for: first.code))
            }
            return print("Checked: \(plan.described(newName: name)). Nothing was written.")
        }
        let result = try listingEveryProblem(with: "careledger record \(type.map { $0.rawValue + " " } ?? "")--rows \(file) --replaces \(earlier) --check") {
            do throws(LedgerError) {
                return try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body, expectedVersions: expectations.versions) }
            } catch {
                throw plan.placed(error)
            }
        } as AppendResult
        if json { return printAppended(result, json: true) }
        printNote(result.datedAhead)
        print(plan.done(result, newName: name))
        print("Head: \(result.head.digestLine)")
    }

    /// The earlier return's rows: of its sheet that --replaces-sheet names, else (a workbook of
    /// the same template as FILE) of --sheet's, else of its first.
    private func earlierRowEvents(of earlier: String, catalogue: EventCatalogue) throws -> (name: String, events: [EventCatalogue.Entry.RowEvent]) {
        if let replacesSheet { return try rowEvents(of: earlier, sheet: (replacesSheet, "--replaces-sheet"), sayingOtherSheets: false, catalogue: catalogue) }
        do {
            return try rowEvents(of: earlier, sheet: sheet.map { ($0, "--sheet") }, sayingOtherSheets: false, ifWorkbook: true, catalogue: catalogue)
        } catch let error as LedgerError where error.code == .usage && sheet != nil {
            throw LedgerError(.usage, error.rule + " (--replaces-sheet NAME reads \(InputFile.name(earlier))'s)")
        }
    }
}
