import ArgumentParser
import CareLedger
import LedgerJSON
import SpreadsheetRows

/// `careledger record TYPE --on DATE FIELD=VALUE…`: one event from the command line, for the
/// person who records a fact as it happens, without writing its JSON by hand.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record an event from its fields on the command line, or a spreadsheet's rows as events, checked as append checks them.",
        discussion: """
            Each field of the event's data is NAME=VALUE, a member of an object field \
            OBJECT.MEMBER=VALUE, and a list its values separated by commas (nothing for an \
            empty list). The type's schema says what each field holds: `careledger schemas TYPE` \
            lists them. A value not of its field's form is refused as append refuses it, naming \
            the field and the rule, and nothing is written.

              careledger record EmploymentEnded --on 2025-06-30 \\
                workerRef=W-00123 spellId=S-00123-1 reason=movedToHealth
              careledger record SafeguardingConcernRaised --on 2025-02-03 \\
                concernId=SG-17 caseId=C-9 indicators=fees,documentsWithheld \\
                referredTo=glaa
              careledger record JobOfferMade --on 2024-03-02 workerRef=W-00123 \\
                offerId=O-7 providerId=P-042 soc=6135 jobRole=careWorker \\
                weeklyHours=37.5 hourlyPayPence=1240 channel=direct \\
                repaymentClause.amountPence=200000 repaymentClause.months=24 \\
                repaymentClause.interestFree=true repaymentClause.itemised=false

            --show prints the event as JSON, checked against its schema (the log's rules are \
            checked when it is appended), and writes nothing: a file of it is what append \
            and retract --correction take. Events that must land together (a placement and \
            the case's closing) go into one file, then one atomic append:

              careledger record RightToWorkChecked --on 2024-11-13 … --show > right.json
              careledger record ReplacementSecured --on 2025-06-02 caseId=C-9 \\
                newProviderId=P-042 evidence=verified --show > placed.ndjson
              careledger record CaseClosed --on 2025-06-02 caseId=C-9 \\
                outcome=placed --show >> placed.ndjson
              careledger append placed.ndjson

            --rows FILE records every row of a spreadsheet as an event of TYPE, all in one \
            atomic batch: a workbook's first sheet as it came, \(Workbook.kinds) (--sheet NAME \
            reads another; a web page's tables are its sheets, named by their captions or the headings above them, or by the name Excel shows on the page's tab; refusals name its row numbers; a date cell is its day), or a CSV file ("CSV UTF-8", or tab-separated). \
            Its header names the columns: occurredOn, the fields as above (a list's values in one cell, \
            "fees,debt"), and id and meta.KEY if wanted; it is the first line with occurredOn, \
            so a title or a row of labels above it is not read. A blank cell is no value (for a \
            list, the empty list). Refusals name the file's line; --check lists them all, \
            and --show prints the events as NDJSON. A row without an id is given the one its \
            content derives, so the same file recorded again changes nothing.

              occurredOn,workerRef,spellId,reason,meta.source
              2025-06-30,W-00123,S-00123-1,movedToHealth,provider return

              careledger record EmploymentEnded --rows leavers.csv --check
              careledger record EmploymentEnded --rows leavers.csv

            Without TYPE, a column type names each row's type: a return of starters and \
            leavers in one sheet, each cell blank where its row's type has no such field.

              type,occurredOn,workerRef,spellId,reason,providerId,jobRole,…
              EmploymentEnded,2025-06-30,W-00123,S-00123-1,movedToHealth,,,…
              EmploymentStarted,2025-07-01,W-00124,S-00124-1,,P-042,careWorker,…

              careledger record --rows return.csv --check

            --replaces EARLIER puts a corrected return in place of the one recorded before, \
            in one atomic batch: the events of EARLIER's rows that FILE no longer has are \
            retracted (first, with --reason), FILE's rows that EARLIER did not have are \
            recorded, and the rows of both are left as they are. A new row that differs from \
            one retracted row in one field alone (its date, say), and is its only such row, \
            names it in meta.corrects. Every row of EARLIER must be in the log; recorded \
            again, the same pair changes nothing.

              careledger record EmploymentEnded --rows leavers-v2.csv \\
                --replaces leavers.csv --reason "Provider corrected two dates" --check
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: ArgumentHelp("The event type, such as EmploymentEnded (`careledger schemas` lists them); with --rows, left out when the file's type column names each row's.", valueName: "type"),
              completion: OptionValue.eventTypes, transform: OptionValue.eventType)
    var type: EventType?

    @Argument(help: ArgumentHelp("The data fields, NAME=VALUE (OBJECT.MEMBER=VALUE, a list A,B).", valueName: "field=value"),
              transform: RecordCommand.field)
    var fields: [EventCatalogue.Entry.TypedField] = []

    @Option(help: ArgumentHelp("The day it happened in the world (occurredOn, YYYY-MM-DD); required, except with --rows.", valueName: "date"),
            transform: OptionValue.date)
    var on: LocalDate?

    @Option(help: ArgumentHelp("A CSV file or a workbook, \(Workbook.kinds) (or - for standard input) whose every row is an event of TYPE (without TYPE, of its type column's), its header naming the columns: occurredOn, the fields, and id and meta.KEY if wanted. The rows land as one atomic batch.",
                               valueName: "file"), completion: .file(extensions: ["csv", "tsv", "txt", "xlsx", "ods", "fods", "xml", "xls", "html", "htm"]))
    var rows: String?

    @Option(help: ArgumentHelp("With --rows, the return FILE corrects, recorded before: its rows that FILE no longer has are retracted, FILE's new rows recorded, in one batch.", valueName: "earlier"),
            completion: .file(extensions: ["csv", "tsv", "txt", "xlsx", "ods", "fods", "xml", "xls", "html", "htm"]))
    var replaces: String?

    @Option(help: ArgumentHelp("With --replaces of a workbook, the sheet of EARLIER to read, by the name on its tab (default: --sheet's, when EARLIER is a workbook too; else its first).", valueName: "name"))
    var replacesSheet: String?

    @Option(help: ArgumentHelp("With --replaces, why the rows it no longer has are retracted (default: replaced by FILE, a corrected return).", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("With --rows of a workbook, the sheet to read, by the name on its tab (default: the first; the others are named when the first is read).", valueName: "name"))
    var sheet: String?

    @Option(help: ArgumentHelp("The event's id, a UUID (default: the ledger makes one); sending it again is then harmless.", valueName: "uuid"))
    var id: String?

    @Option(help: ArgumentHelp("A meta entry, KEY=TEXT, such as source=phone-call; repeatable.", valueName: "key=text"), transform: RecordCommand.metaEntry)
    var meta: [MetaEntry] = []

    @Option(name: .customLong("expect"), help: ArgumentHelp(
        "The version STREAM must be at (0: must not exist yet); repeatable.", valueName: "stream=version"), transform: OptionValue.expectation)
    var expectations: [StreamExpectation] = []

    @Flag(help: "Check the event (or every row) as it would be appended, and write nothing.")
    var check = false

    @Flag(help: "Print the event as JSON (the rows' as NDJSON), checked against its schema, and write nothing.")
    var show = false

    @Flag(help: "Answer with JSON, as POST /v1/events does.")
    var json = false

    struct MetaEntry {
        let key: String
        let text: String
    }

    @Sendable static func field(_ text: String) throws -> EventCatalogue.Entry.TypedField {
        guard let field = EventCatalogue.Entry.TypedField(text) else {
            throw OptionValueProblem("write a field as NAME=VALUE, such as reason=movedToHealth, or OBJECT.MEMBER=VALUE")
        }
        return field
    }

    @Sendable static func metaEntry(_ text: String) throws -> MetaEntry {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw OptionValueProblem("write a meta entry as KEY=TEXT, such as source=phone-call")
        }
        return MetaEntry(key: String(text[..<equals]), text: String(text[text.index(after: equals)...]))
    }

    func validate() throws {
        if show && (check || json) { throw ValidationError("--show prints the event and writes nothing; it takes neither --check nor --json") }
        if sheet != nil && rows == nil { throw ValidationError("--sheet names the sheet of a workbook given with --rows FILE") }
        if replaces != nil && rows == nil { throw ValidationError("--replaces names the return that --rows FILE corrects: give --rows FILE too") }
        if replacesSheet != nil && replaces == nil { throw ValidationError("--replaces-sheet names the sheet of the workbook given with --replaces EARLIER") }
        if reason != nil && replaces == nil { throw ValidationError("--reason says why --replaces retracts rows: give --replaces EARLIER, or use careledger retract") }
        if replaces != nil && show { throw ValidationError("--show prints FILE's events; with --replaces, --check says what would be retracted and recorded") }
        if let reason, reason.allSatisfy(\.isWhitespace) { throw ValidationError("--reason says why the rows are retracted; it cannot be empty") }
        if rows != nil {
            if !fields.isEmpty || on != nil || id != nil || !meta.isEmpty {
                throw ValidationError("--rows takes each event's fields, date, id and meta from the file's columns: give no FIELD=VALUE, --on, --id or --meta with it")
            }
        } else if type == nil {
            throw ValidationError("name the event type, such as careledger record EmploymentEnded --on 2025-06-30 … (careledger schemas lists them)")
        } else if on == nil {
            throw ValidationError("--on is required: the day it happened in the world, YYYY-MM-DD (or give --rows FILE, whose occurredOn column says it)")
        }
    }

    func run() throws {
        let catalogue = EventCatalogue.standard
        if let rows { return try record(rows: rows, catalogue: catalogue) }
        let type = type!
        guard let version = catalogue.versions(of: type).max(), let entry = catalogue.entry(type, version: version) else {
            throw LedgerError(.usage, "\(type.rawValue) has no schema")
        }
        let event = try entry.event(occurredOn: on!, fields: fields, id: id, meta: meta.map { ($0.key, $0.text) })
        if show {
            // Checked against its schema now; against the log when it is appended.
            try entry.checkSchema(event)
            return printJSON(event)
        }
        let body = event.canonicalBytes
        let ledger = try options.open()
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body, expectedVersions: expectations.versions) }
            if json { return try printCheck(report, of: "the command line", json: true) }
            if let problem = report.problems.first { throw Self.unplaced(problem) }
            let outcome = report.duplicates > 0 ? "is already stored with the same content: appending it would change nothing" : "would be appended"
            return print("The \(type.rawValue) \(outcome). Nothing was written.")
        }
        let result: AppendResult
        do {
            result = try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body, expectedVersions: expectations.versions) }
        } catch {
            throw Self.unplaced(error)
        }
        printAppended(result, json: json)
    }

    /// `--rows FILE`: every row an event (of TYPE, or of its type column's), shown, checked or
    /// appended as one batch, each refusal naming the file's line.
    func record(rows file: String, catalogue: EventCatalogue) throws {
        let (name, events) = try rowEvents(of: file, sheet: sheet.map { ($0, "--sheet") }, catalogue: catalogue)
        if let replaces { return try replace(replaces, by: events, of: file, catalogue: catalogue) }
        if show {
            // Checked by no ledger: the rows themselves say which are dated ahead.
            if let ahead = EventCatalogue.Entry.RowEvent.datedAheadNote(events, today: Instant.now().date) { printError("careledger: note: \(ahead)") }
            for row in events {
                // A row's type cell may name no type of the catalogue; the others were read by their schemas.
                let named = row.event["type"]?.stringValue ?? ""
                guard let entry = catalogue.entry(of: row.event) else {
                    throw LedgerError(.rejected, "\"\(named)\" is not an event type of the catalogue\(NearestName.hint(for: named, among: EventType.allCases.map(\.rawValue)))",
                                      location: .line(row.line), pointer: "/type")
                }
                do { try entry.checkSchema(row.event) } catch { throw LedgerError(error.code, error.rule, location: .line(row.line), pointer: error.pointer) }
            }
            return events.forEach { printJSON($0.event) }
        }
        let body = EventCatalogue.Entry.RowEvent.alignedBody(events)
        let ledger = try options.open()
        if check {
            let report = try WriterWaitNotice.whileWaiting { try ledger.checkAppend(body: body, expectedVersions: expectations.versions) }
            return try printCheck(report, of: name, json: json)
        }
        let result = try listingEveryProblem(with: "careledger record \(type.map { $0.rawValue + " " } ?? "")--rows \(file) --check") {
            try WriterWaitNotice.whileWaiting { () throws(LedgerError) in try ledger.append(body: body, expectedVersions: expectations.versions) }
        }
        printAppended(result, json: json)
    }

    /// The events of `file`'s rows (a CSV file, or a workbook's sheet: the one `sheet` names,
    /// with the option that named it, or the first), each with its line and its id (given, or
    /// derived from its fact), and the file's name.
    /// - Parameters:
    ///   - sayingOtherSheets: whether to say, when the first sheet is read, that the workbook
    ///     has others (not of the earlier return, whose sheet was chosen when it was recorded).
    ///   - ifWorkbook: whether `sheet` applies only when `file` is a workbook (`--sheet` for the
    ///     earlier return), rather than being refused for a CSV file.
    func rowEvents(of file: String, sheet named: (name: String, option: String)?, sayingOtherSheets: Bool = true, ifWorkbook: Bool = false,
                   catalogue: EventCatalogue) throws -> (name: String, events: [EventCatalogue.Entry.RowEvent]) {
        let name = InputFile.name(file)
        let bytes = try InputFile.bytes(file)
        let sheet: CSVRows
        if Workbook.isWorkbook(bytes) {
            let read = try Workbook.sheet(of: bytes, source: name, named: named?.name)
            if sayingOtherSheets, named == nil, let others = read.otherSheets(of: name) { printError("careledger: \(others) (--sheet NAME reads another)") }
            sheet = read.rows
        } else {
            if let named, !ifWorkbook { throw LedgerError(.usage, "\(named.option) names a workbook's sheet, and \(name) is CSV, a single sheet") }
            sheet = try CSVRows(bytes, source: name)
        }
        let events = try catalogue.events(ofRows: sheet, source: name, type: type)
        guard !events.isEmpty else { throw LedgerError(.rejected, "\(name) holds a header and no rows: nothing to record") }
        return (name, events)
    }

    /// A refusal of the one event without the line it names: there is no file, and its field
    /// and rule say it all. Anything else (the disk, the lock) as it is.
    static func unplaced(_ error: LedgerError) -> LedgerError {
        guard error.location != nil else { return error }
        return LedgerError(error.code, error.rule, pointer: error.pointer)
    }
}
