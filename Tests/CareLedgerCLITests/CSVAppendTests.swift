import Foundation
import LedgerJSON
import LedgerTestSupport
import CareLedger
import SpreadsheetRows
import Testing

/// `POST /v1/events?type=T` with a CSV body: a system's spreadsheet export sent as it is, each
/// row an event of type T (or of its type column's), one atomic batch, refusals naming the CSV's
/// lines; an .xlsx workbook likewise, by its sheet's row numbers; and `GET /v1/schemas`'s
/// columns and sheets to fill in. On a real server with tokens.
@Suite struct CSVAppendTests {
    @Test func aCSVExportIsAppendedAsOneBatchOfItsType() async throws {
        let cli = try CLIWorkspace().initialised()
        let writer = try cli.token("platform", role: "writer")
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let head = try cli.digest()
        func post(_ path: String, _ body: String, type contentType: String = "text/csv; charset=utf-8") async throws -> RunningServer.Answer {
            try await server.request(path, body: body, headers: ["Content-Type": contentType, "Authorization": "Bearer \(writer)"])
        }

        // The columns of each type are in the schemas' answer, which needs no token.
        let schemas = try JSONValue(parsing: try await server.request("/v1/schemas").body)
        let leaverColumns = schemas["schemas"]?.arrayValue?.first { $0["type"] == "EmploymentEnded" }?["csvColumns"]
        #expect(leaverColumns == .array(["occurredOn", "workerRef", "spellId", "reason"]), "\(leaverColumns?.compactText ?? "none")")
        // And the schemas' SHA-256, as --version prints it: a system can tell whether they changed.
        let fingerprint = try #require(schemas["sha256"]?.stringValue)
        #expect(try CareLedgerBinary.run(["--version"]).standardOutput.contains("sha256 \(fingerprint) "))
        #expect(try JSONValue(parsing: try await server.request("/v1/schemas?types=WorkerArrived").body)["sha256"]?.stringValue == fingerprint)

        // A sheet to fill in, as the CLI writes it, for a programme officer to send to providers.
        let sheet = try await server.request("/v1/schemas?format=csv&types=EmploymentStarted,EmploymentEnded")
        #expect(sheet.status == 200 && sheet.contentType?.hasPrefix("text/csv") == true, "\(sheet.body)")
        #expect(sheet.contentDisposition == #"attachment; filename="EmploymentStarted-EmploymentEnded.csv""#)
        #expect(sheet.body == (try cli.expect(0, ["schemas", "EmploymentStarted", "EmploymentEnded", "--csv"]).standardOutput), "\(sheet.body)")
        // And as a workbook: the same columns and example rows.
        let workbook = try await server.request("/v1/schemas?format=xlsx&types=EmploymentStarted,EmploymentEnded")
        #expect(workbook.status == 200 && workbook.contentType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "\(workbook.body)")
        #expect(workbook.contentDisposition == #"attachment; filename="EmploymentStarted-EmploymentEnded.xlsx""#)
        let sheetRows = try CSVRows(Array(sheet.body.utf8)), workbookRows = try Workbook.rows(of: workbook.bytes, source: "the workbook")
        func cells(_ rows: CSVRows) -> [[String]] { rows.rows.map { $0.fields + Array(repeating: "", count: rows.header.fields.count - $0.fields.count) } }
        #expect(workbookRows.header == sheetRows.header && cells(workbookRows) == cells(sheetRows), "\(workbookRows.rows)")
        let openDocument = try await server.request("/v1/schemas?format=ods&types=EmploymentStarted,EmploymentEnded")
        #expect(openDocument.status == 200 && openDocument.contentType == "application/vnd.oasis.opendocument.spreadsheet", "\(openDocument.body)")
        #expect(openDocument.contentDisposition == #"attachment; filename="EmploymentStarted-EmploymentEnded.ods""#)
        let openDocumentRows = try Workbook.rows(of: openDocument.bytes, source: "the workbook")
        #expect(openDocumentRows.header == sheetRows.header && cells(openDocumentRows) == cells(sheetRows), "\(openDocumentRows.rows)")
        #expect(try await server.request("/v1/schemas?format=xlsx").body.contains("format=xlsx is a sheet of the rows of some types: name them"))
        #expect(try await server.request("/v1/schemas?format=xls&types=WorkerArrived").body.contains("format=xls must be json, csv, xlsx or ods"))
        let onlyLeavers = try JSONValue(parsing: try await server.request("/v1/schemas?types=EmploymentEnded").body)["schemas"]?.arrayValue
        #expect(onlyLeavers?.count == 1 && onlyLeavers?.first?["type"] == "EmploymentEnded")
        let none = try await server.request("/v1/schemas?types=")
        #expect(none.status == 400 && none.body.contains("names no event type"), "\(none.body)")
        let unknown = try await server.request("/v1/schemas?types=EmploymentStarted,Leavers")
        #expect(unknown.status == 400 && unknown.body.contains(#"\"Leavers\" is not an event type of the catalogue"#), "\(unknown.body)")
        #expect(try await server.request("/v1/schemas?format=csv").body.contains("name them, as in types="))

        // A bad row refuses the whole body, naming its line (past a quoted cell over two lines).
        let leavers = "occurredOn,workerRef,spellId,reason,meta.note\n2024-06-30,W-1,S-1,choseToLeave,\"family,\nabroad\"\n2024-06-30,W-1,S-9,retired,\n"
        let refused = try await post("/v1/events?type=EmploymentEnded", leavers)
        #expect(refused.status == 400 && refused.contentType == "application/problem+json", "\(refused.body)")
        #expect(try JSONValue(parsing: refused.body)["detail"]?.stringValue?.contains("line 4: /data/spellId") == true, "\(refused.body)")
        let checked = try await post("/v1/events?type=EmploymentEnded&check=true", leavers)
        #expect(checked.status == 400 && checked.body.contains("line 4: /data/spellId"), "\(checked.body)")
        let unread = try await post("/v1/events?type=EmploymentEnded", "occurredOn,workerRef\n2024-06-30,\"W-1\n")
        #expect(unread.status == 400 && unread.body.contains("line 2: a quoted field is never closed"), "\(unread.body)")
        #expect(try cli.digest() == head, "nothing was written")

        // Mended and saved by a spreadsheet as "CSV UTF-8": a byte order mark, CRLF lines, an id column.
        let mended = "\u{FEFF}id,occurredOn,workerRef,spellId,reason,meta.note\r\n00000000-0000-4000-8000-0000000000c1,2024-06-30,W-1,S-1,choseToLeave,\"family,\r\nabroad\"\r\n"
        let appended = try await post("/v1/events?type=EmploymentEnded", mended, type: "application/vnd.ms-excel")
        #expect(appended.status == 201, "\(appended.body)")
        #expect(try JSONValue(parsing: appended.body)["events"]?[0]?["seq"] == 9)
        let stored = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "9"]).standardOutput)
        #expect(stored["type"] == "EmploymentEnded" && stored["data"]?["reason"] == "choseToLeave" && stored["meta"]?["note"] == "family,\r\nabroad",
                "\(stored.compactText)")
        #expect(stored["meta"]?["actor"] == nil, "over the API, meta stays the sender's")
        // Sent again, its id makes it the identical duplicate it is.
        let again = try await post("/v1/events?type=EmploymentEnded", mended)
        let originalSeq = try JSONValue(parsing: again.body)["events"]?[0]?["seq"]
        #expect(again.status == 200 && originalSeq == 9, "\(again.body)")

        // Cells pasted from a spreadsheet are tab-separated.
        let arrived = try await post("/v1/events?type=WorkerArrived", "occurredOn\tworkerRef\n2024-07-01\tW-1\n", type: "text/tab-separated-values")
        #expect(arrived.status == 201, "\(arrived.body)")

        // What is not such a body is said in words, and writes nothing.
        let noType = try await post("/v1/events", "occurredOn,workerRef\n2024-07-01,W-1\n")
        #expect(noType.status == 400 && noType.body.contains("the CSV body's header names no type column: give the type of every row (careledger record TYPE --rows FILE, POST /v1/events?type=TYPE), or add a column type naming each row's"), "\(noType.body)")
        let typo = try await post("/v1/events?type=WorkerArived", "occurredOn,workerRef\n2024-07-01,W-1\n")
        #expect(typo.status == 400 && typo.body.contains("(did you mean WorkerArrived?)"), "\(typo.body)")
        let column = try await post("/v1/events?type=WorkerArrived", "occurredOn,worker\n2024-07-01,W-1\n")
        #expect(column.status == 400 && column.body.contains("the CSV body's column \\\"worker\\\" (B) is not a field of WorkerArrived (did you mean workerRef?), and line 2 fills it: its fields are workerRef, beside occurredOn, id and meta.KEY"), "\(column.body)")
        // A web page is read as a workbook (its tables its sheets), asking for the rows' type;
        // a PDF sent as events is refused for what it is, not by its first line.
        let webPage = try await post("/v1/events", "<html><body><table><tr><td>occurredOn</td></tr></table></body></html>", type: "application/octet-stream")
        #expect(webPage.status == 400 && webPage.body.contains("the workbook's header names no type column: give the type of every row"), "\(webPage.body)")
        let pdf = try await post("/v1/events", "%PDF-1.7\n", type: "application/x-ndjson")
        #expect(pdf.status == 400 && pdf.body.contains("the body is a PDF document"), "\(pdf.body)")
        let json = try await post("/v1/events?type=WorkerArrived", Fixtures.event("WorkerArrived", ["workerRef": "W-1"]).compactText, type: "application/json")
        #expect(json.status == 400 && json.body.contains("type= names the event type of a spreadsheet's rows, a workbook (.xlsx or .ods) or CSV"), "\(json.body)")
        let form = try await post("/v1/events", "--x\r\n", type: "multipart/form-data; boundary=x")
        #expect(form.status == 415 && form.body.contains("a workbook (.xlsx or .ods) or CSV UTF-8"), "\(form.body)")
        let damaged = try await post("/v1/events", "PK\u{3}\u{4}", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(damaged.status == 400 && damaged.body.contains("the workbook is not a workbook that can be read"), "\(damaged.body)")
        // Erasure destroys a key: the staff role's, in rows as in JSON.
        let erasure = try await post("/v1/events?type=PersonalDataErased", "occurredOn,workerRef,requestReference\n2024-07-02,W-1,DSR-1\n")
        #expect(erasure.status == 403 && erasure.body.contains("the staff role erases"), "\(erasure.body)")
        // Without type=, a type column names each row's: a return of several types in one sheet.
        let mixed = try await post("/v1/events", "type,occurredOn,workerRef,kind,title\nWorkerArrived,2024-07-03,W-1,,\nTrainingCompleted,2024-07-04,W-1,english,ESOL Entry 3\n")
        let mixedCount = try JSONValue(parsing: mixed.body)["events"]?.arrayValue?.count
        #expect(mixed.status == 201 && mixedCount == 2, "\(mixed.body)")
        let misnamed = try await post("/v1/events", "type,occurredOn,workerRef\nWorkerArrived,2024-07-05,W-1\nWorkerArived,2024-07-05,W-1\n")
        #expect(misnamed.status == 400 && misnamed.body.contains("line 3: /type: must name an event type") && misnamed.body.contains("(did you mean WorkerArrived?)"), "\(misnamed.body)")
        // A provider's workbook as it came, .xlsx, .ods, .fods or Excel 2003 XML (its XML known
        // by its bytes, not its type: Windows calls an .xls file application/vnd.ms-excel), its
        // first sheet's rows by their type column, refused by the sheet's row number: its
        // leaver, S-1, left above.
        for (file, type) in [(RecordCommandTests.workbooks[0], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                             (RecordCommandTests.workbooks[3], "application/vnd.oasis.opendocument.spreadsheet"),
                             (RecordCommandTests.workbooks[6], "application/xml"), (RecordCommandTests.spreadsheetML, "application/vnd.ms-excel")] {
            let workbook = try await server.request("/v1/events?check=true", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: file))),
                                                    headers: ["Content-Type": type, "Authorization": "Bearer \(writer)"])
            let report = try JSONValue(parsing: workbook.body)
            #expect(workbook.status == 400 && report["events"] == 4 && report["wouldAppend"] == 3, "\(file): \(workbook.body)")
            #expect(report["problems"]?[0]?["line"] == 2 && workbook.body.contains("spell S-1 already ended"), "\(file): \(workbook.body)")
        }
        // Another sheet, by its name: the workbook's Notes, an arrival.
        let notes = try await server.request("/v1/events?check=true&sheet=Notes", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0]))),
                                             headers: ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Authorization": "Bearer \(writer)"])
        let notesReport = try JSONValue(parsing: notes.body)
        #expect(notes.status == 200 && notesReport["wouldAppend"] == 1, "\(notes.body)")
        // curl sends a file with --data-binary as a form's (application/x-www-form-urlencoded)
        // unless told: a workbook is known by its bytes, sheet= and type= with it.
        for contentType in ["application/x-www-form-urlencoded", "application/octet-stream"] {
            let untold = try await server.request("/v1/events?check=true&sheet=Notes&type=WorkerArrived", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0]))),
                                                  headers: ["Content-Type": contentType, "Authorization": "Bearer \(writer)"])
            let report = try JSONValue(parsing: untold.body)
            #expect(untold.status == 200 && report["wouldAppend"] == 1, "\(contentType): \(untold.body)")
        }
        let noSheet = try await post("/v1/events?type=WorkerArrived&sheet=Notes", "occurredOn,workerRef\n2024-07-01,W-1\n")
        #expect(noSheet.status == 400 && noSheet.body.contains("the body is CSV, a single sheet"), "\(noSheet.body)")
        #expect(try cli.digest().hasPrefix("12:"), "only the mended leaver, the arrival and the mixed return landed")
        try cli.expect(0, ["verify"])
    }
}
