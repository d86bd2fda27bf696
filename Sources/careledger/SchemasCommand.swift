import ArgumentParser
import CareLedger
import Foundation
import LedgerJSON
import ProjectionKit
import SpreadsheetRows

struct SchemasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas",
        abstract: "Show the event types and, for one, its fields in words and an event to start from.",
        discussion: """
            Read from the JSON Schema files built into careledger (Schemas/ in its source, and \
            GET /v1/schemas), the same files every event is checked against.

              careledger schemas                          # every type: stream, fields
              careledger schemas SupportProvided          # its fields, and an example
              careledger schemas SupportProvided --json   # its JSON Schema file
              careledger schemas SupportProvided --csv > support.csv
                # a spreadsheet to fill in: its columns and an example row, for
                # careledger record SupportProvided --rows support.csv
              careledger schemas EmploymentStarted EmploymentEnded --csv > return.csv
                # one sheet for several types: a type column, an example row
                # each; careledger record --rows return.csv
              careledger schemas EmploymentStarted EmploymentEnded --xlsx > return.xlsx
                # the same sheet as a workbook to send to providers: dates and
                # text kept as typed, a drop-down of each field's listed values
              careledger schemas EmploymentStarted EmploymentEnded --ods > return.ods
                # the same workbook as OpenDocument (LibreOffice's format, and
                # the one the UK government's open standards name for sharing)
            """)

    @Argument(help: ArgumentHelp("An event type, such as EmploymentStarted; with --csv, --xlsx or --ods, several, for one sheet of their rows.", valueName: "type"),
              completion: OptionValue.eventTypes, transform: OptionValue.eventType)
    var typesGiven: [EventType] = []

    /// The types asked about, each once.
    var types: [EventType] { typesGiven.eachOnce() }

    /// The one type asked about, if any.
    var type: EventType? { types.first }

    @Flag(help: "Answer with JSON: the schema file of the type, or every schema as GET /v1/schemas does.")
    var json = false

    @Flag(help: "Answer with CSV for the type: the columns `record TYPE --rows` reads, and an example row.")
    var csv = false

    @Flag(help: "Answer with the --csv sheet as an .xlsx workbook, on standard output (redirect it to a file): each column formatted by what it holds (a date as a date, an identifier as text), a drop-down of each field's listed values.")
    var xlsx = false

    @Flag(help: "Answer with the --xlsx workbook as an OpenDocument .ods file, on standard output (redirect it to a file).")
    var ods = false

    /// The workbook's format asked for, if any: its option's name is also its file's extension.
    var workbookFormat: ReturnWorkbook.Format? { xlsx ? .xlsx : ods ? .ods : nil }

    @Option(help: ArgumentHelp("Accepted as by every command, and not used: the schemas are built in.", valueName: "dir"))
    var data: String?

    func validate() throws {
        if [csv, json, xlsx, ods].count(where: { $0 }) > 1 { throw ValidationError("choose one of --json, --csv, --xlsx and --ods") }
        if csv && type == nil { throw ValidationError("--csv is for a type or several: careledger schemas TYPE --csv") }
        if let format = workbookFormat, type == nil { throw ValidationError("--\(format.rawValue) is for a type or several: careledger schemas TYPE --\(format.rawValue) > return.\(format.rawValue)") }
        if types.count > 1 && !csv && workbookFormat == nil { throw ValidationError("several types make one sheet with --csv, --xlsx or --ods; otherwise ask about one type at a time") }
        if let format = workbookFormat, isatty(1) == 1 {
            throw ValidationError("--\(format.rawValue) writes a workbook, which a terminal cannot show: redirect it to a file, as in careledger schemas \(types.map(\.rawValue).joined(separator: " ")) --\(format.rawValue) > return.\(format.rawValue)")
        }
    }

    func run() throws {
        let catalogue = EventCatalogue.standard
        if csv || workbookFormat != nil {
            let sheet = catalogue.rowSheet(of: types, on: Instant.now().date)
            if let workbookFormat { return FileHandle.standardOutput.write(Data(ReturnWorkbook.file(sheet, as: workbookFormat))) }
            return print(ReportTable(title: "", columns: sheet.columns, rows: sheet.rows).csv, terminator: "")
        }
        guard let type else {
            if json {
                printJSON(catalogue.published)
                return
            }
            print(table(["type", "version", "stream", "data (? optional)"], catalogue.entries.map { entry in
                [entry.type.rawValue, String(entry.schemaVersion), entry.streamTemplate,
                 entry.fields.map { $0.required ? $0.name : $0.name + "?" }.joined(separator: ", ")]
            }))
            print("\n`careledger schemas TYPE` shows a type's fields in words and an event to start from.")
            return
        }
        for version in catalogue.versions(of: type) {
            guard let entry = catalogue.entry(type, version: version) else { continue }
            if json {
                print(entry.text)
                continue
            }
            print("\(type.rawValue), schema version \(version): \(entry.summary)")
            print("Stream: \(entry.streamTemplate)  (Schemas/\(entry.fileName))")
            print("\ndata:")
            let width = entry.fields.map(\.name.count).max() ?? 0
            for field in entry.fields {
                print("  " + field.name.padding(toLength: width, withPad: " ", startingAt: 0)
                      + (field.required ? "  required  " : "  optional  ") + field.summary)
            }
            print("\nBeside data: occurredOn (required, the day it happened, YYYY-MM-DD); id (optional, a UUID:")
            print("the ledger makes one; send your own to make a re-send harmless); meta (optional, text to text).")
            print("\nAn event to start from (every required field, each value only of the right form):")
            print(entry.example(on: Instant.now().date).compactText)
        }
    }
}
