import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `/record`: a page on which a person with the writer role pastes a spreadsheet's rows, checks
/// them and records them as one batch, as `careledger record TYPE --rows FILE` does, on a real
/// server with tokens, signed in by the dashboard's cookie.
@Suite struct RecordPageTests {
    /// `application/x-www-form-urlencoded`, as a browser posts the form.
    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    @Test func aWriterChecksThenRecordsPastedRowsAsOneBatch() async throws {
        let cli = try CLIWorkspace().initialised()
        let writer = try cli.expect(0, ["tokens", "add", "officer", "--role", "staff", "--role", "writer"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let reader = try cli.token("reader", role: "staff")
        let writerOnly = try cli.token("clerk", role: "writer")
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let head = try cli.digest()
        func post(_ fields: [(String, String)], token: String?, origin: String? = nil) async throws -> RunningServer.Answer {
            var headers = ["Content-Type": "application/x-www-form-urlencoded"]
            if let token { headers["Cookie"] = "careledger_token=\(token)" }
            if let origin { headers["Origin"] = origin }
            return try await server.request("/record", body: Self.form(fields), headers: headers)
        }

        // The dashboard links to the page for a token that may record, and not for one that may not.
        #expect(try await server.request("/", headers: ["Cookie": "careledger_token=\(writer)"]).body.contains("href=\"/record\""))
        #expect(try await !server.request("/", headers: ["Cookie": "careledger_token=\(reader)"]).body.contains("href=\"/record\""))

        // The page starts from a type's columns.
        let empty = try await server.request("/record?type=EmploymentEnded", headers: ["Cookie": "careledger_token=\(writer)"])
        #expect(empty.status == 200 && empty.body.contains(">occurredOn,workerRef,spellId,reason\n</textarea>"), "\(empty.body)")
        #expect(empty.body.contains(#"<a id="sheet" href="/v1/schemas?format=csv&amp;types=EmploymentEnded">"#), "a sheet to send to providers")
        #expect(empty.body.contains(#"<a id="workbook" href="/v1/schemas?format=xlsx&amp;types=EmploymentEnded">"#), "and as a workbook")
        #expect(empty.body.contains(#"<a id="workbook-ods" href="/v1/schemas?format=ods&amp;types=EmploymentEnded">"#), "or as OpenDocument")
        let columns = try await post([("type", "SafeguardingConcernRaised"), ("action", "columns"), ("rows", "")], token: writer)
        #expect(columns.body.contains(">occurredOn,concernId,indicators,referredTo,caseId,workerRef,providerId\n</textarea>"))

        // A check lists every problem by its line (past a cell over two lines), and writes nothing.
        let rows = "occurredOn,workerRef,spellId,reason,meta.note\n2024-06-30,W-1,S-1,choseToLeave,\"family\nabroad\"\n2024-06-30,W-1,S-9,retired,\n2024-13-01,W-1,S-1,retired,\n"
        let checked = try await post([("type", "EmploymentEnded"), ("action", "check"), ("rows", rows)], token: writer)
        #expect(checked.status == 400 && checked.body.contains("2 of 3 rows would be refused"), "\(checked.body)")
        #expect(checked.body.contains("line 4: /data/spellId: names spell S-9") && checked.body.contains("line 5: /occurredOn"))
        #expect(checked.body.contains("&quot;family\nabroad&quot;"), "the rows are shown again, escaped, to mend")
        let refused = try await post([("type", "EmploymentEnded"), ("action", "record"), ("rows", rows)], token: writer)
        #expect(refused.status == 400 && refused.body.contains("line 4: /data/spellId"))
        #expect(try cli.digest() == head)

        // Mended, and pasted from the spreadsheet, whose cells come separated by tabs.
        let mended = "occurredOn\tworkerRef\tspellId\treason\tmeta.note\n2024-06-30\tW-1\tS-1\tchoseToLeave\t\"family\nabroad\"\n"
        let good = try await post([("type", "EmploymentEnded"), ("action", "check"), ("rows", mended)], token: writer)
        #expect(good.status == 200 && good.body.contains("Checked 1 row: 1 would be recorded. Nothing was written yet."), "\(good.body)")
        let recorded = try await post([("type", "EmploymentEnded"), ("action", "record"), ("rows", mended)], token: writer)
        #expect(recorded.status == 201 && recorded.body.contains("Recorded 1 event (seq 9 to 9)"), "\(recorded.body)")
        let stored = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "9"]).standardOutput)
        // Who recorded it, and how, beside the row's own meta.
        #expect(stored["type"] == "EmploymentEnded" && stored["meta"] == .object([("actor", "token:officer"), ("note", "family\nabroad"), ("source", "dashboard:record")]),
                "\(stored["meta"]?.compactText ?? "")")
        // Record pressed again (or the page posted again): nothing new.
        let twice = try await post([("type", "EmploymentEnded"), ("action", "record"), ("rows", mended)], token: writer)
        #expect(twice.status == 200 && twice.body.contains("Recorded 0 events (none new)"), "\(twice.body)")
        #expect(try cli.digest().hasPrefix("9:"))

        // Who may not: no token (the sign-in form), a token without the writer role, another site's form.
        #expect(try await post([("type", "WorkerArrived"), ("action", "record"), ("rows", "occurredOn,workerRef\n2024-07-01,W-1\n")], token: nil).status == 401)
        let staffOnly = try await post([("type", "WorkerArrived"), ("action", "record"), ("rows", "occurredOn,workerRef\n2024-07-01,W-1\n")], token: reader)
        #expect(staffOnly.status == 403 && staffOnly.body.contains("needs the writer role"))
        let forged = try await post([("type", "WorkerArrived"), ("action", "record"), ("rows", "occurredOn,workerRef\n2024-07-01,W-1\n")],
                                    token: writer, origin: "https://evil.example")
        #expect(forged.status == 403 && forged.body.contains("A web page from https://evil.example sent this request"), "\(forged.body)")
        // Nor through the API with the sign-in cookie: a page of the same site on another port
        // sends a SameSite=Strict cookie too. A client that is not a browser sends no Origin.
        let arrival = Fixtures.event("WorkerArrived", ["workerRef": "W-1"], on: "2024-07-09").compactText
        for header in [("Origin", "http://127.0.0.1:1"), ("Sec-Fetch-Site", "same-site")] {
            let sameSite = try await server.request("/v1/events", body: arrival, headers: ["Cookie": "careledger_token=\(writer)", header.0: header.1])
            #expect(sameSite.status == 403 && sameSite.body.contains("only this server's own pages may change anything from a browser"), "\(header): \(sameSite.body)")
        }
        #expect(try await server.request("/v1/events?check=true", body: arrival, headers: ["Cookie": "careledger_token=\(writer)", "Origin": server.address]).status == 200)
        // Through a proxy that did not pass the browser's Host on, the dashboard's own pages are
        // refused so too: the refusal says what the proxy needs, for the operator.
        let proxied = try await server.request("/v1/events?check=true", body: arrival,
                                               headers: ["Cookie": "careledger_token=\(writer)", "Origin": "https://ledger.example", "X-Forwarded-Proto": "https"])
        #expect(proxied.status == 403 && proxied.body.contains("the proxy did not pass on the Host the browser asked for (this server was asked for 127.0.0.1:")
                && proxied.body.contains("proxy_set_header Host $host;"), "\(proxied.body)")
        #expect(!forged.body.contains("proxy_set_header"), "a page's post that came straight is not told about proxies")
        #expect(try await server.request("/v1/events?check=true", body: arrival, headers: ["Authorization": "Bearer \(writer)"]).status == 200)
        let ahead = try await post([("type", "WorkerArrived"), ("action", "check"), ("rows", "occurredOn,workerRef\n2999-07-01,W-1\n")], token: writer)
        #expect(ahead.status == 200 && ahead.body.contains("<p class=\"note\" id=\"ahead\">Line 2&#39;s occurredOn, 2999-07-01, is after today")
                && !ahead.body.contains("/correct?seq="), "\(ahead.body)")
        let noType = try await post([("type", ""), ("action", "check"), ("rows", "occurredOn,workerRef\n2024-07-01,W-1\n")], token: writer)
        #expect(noType.status == 400 && noType.body.contains("the pasted text&#39;s header names no type column"), "\(noType.body)")
        #expect(try cli.expect(0, ["digest"]).standardOutput.hasPrefix("9:"), "only the mended row landed")

        // No type chosen: the rows' type column names each row's, and each needs the role its type does.
        let mixed = "type,occurredOn,workerRef,kind,title,requestReference\nWorkerArrived,2024-07-01,W-1,,,\nTrainingCompleted,2024-07-02,W-1,english,ESOL Entry 3,\n"
        let both = try await post([("type", ""), ("action", "record"), ("rows", mixed)], token: writer)
        #expect(both.status == 201 && both.body.contains("Recorded 2 events (seq 10 to 11)"), "\(both.body)")
        let erasing = try await post([("type", ""), ("action", "check"), ("rows", mixed + "PersonalDataErased,2024-07-03,W-1,,,DSR-1\n")], token: writerOnly)
        #expect(erasing.status == 403 && erasing.body.contains("the staff role erases"), "\(erasing.body)")
    }

    /// `multipart/form-data`, as a browser posts the form with its file input: each field a
    /// part, the file's with its name and bytes.
    static func multipart(_ fields: [(String, String)], file: (name: String, bytes: [UInt8])?, boundary: String,
                          earlierFile: (name: String, bytes: [UInt8])? = nil) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (input, chosen) in [("file", file), ("earlierFile", earlierFile)] {
            let (fileName, bytes) = chosen ?? ("", [])
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(input)\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    /// A corrected return in place of the one recorded before, as `record --rows --replaces`
    /// puts it: the earlier return's rows given beside the corrected ones.
    @Test func aCorrectedReturnReplacesTheOneRecordedBefore() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        func post(_ fields: [(String, String)]) async throws -> RunningServer.Answer {
            try await server.request("/record", body: Self.form([("type", "TrainingCompleted")] + fields), headers: ["Content-Type": "application/x-www-form-urlencoded"])
        }
        let header = "occurredOn,workerRef,kind,title\n"
        let earlier = header + "2024-05-01,W-1,mandatory,Fire safety\n2024-05-02,W-1,mandatory,Moving and handling\n2024-05-03,W-1,english,Workplace English\n"
        let corrected = header + "2024-05-01,W-1,mandatory,Fire safety\n2024-05-04,W-1,mandatory,Moving and handling\n2024-05-05,W-1,mandatory,Infection control\n"
        #expect(try await post([("rows", earlier), ("action", "record")]).status == 201)  // seq 9-11
        let head = try cli.digest()

        let page = try await server.request("/record")
        #expect(page.body.contains(#"<input type="file" name="earlierFile""#) && page.body.contains(#"<textarea name="earlierRows""#), "\(page.body)")
        let wrong = try await post([("rows", header + "2024-05-04,W-9,mandatory,Moving and handling\n"), ("earlierRows", earlier), ("action", "check")])
        #expect(wrong.status == 400 && wrong.body.contains("line 2: /data/workerRef: names worker W-9, which does not exist"), "\(wrong.body)")
        let checked = try await post([("rows", corrected), ("earlierRows", earlier), ("action", "check")])
        #expect(checked.status == 200 && checked.body.contains("Checked: 2 events of the earlier return to retract, 2 rows of the corrected return to record (line 3 correcting line 3 of the earlier return), 1 row as it was. Nothing was written yet."), "\(checked.body)")
        #expect(checked.body.contains("<details open>") && checked.body.contains("2024-05-03,W-1,english,Workplace English"), "the earlier rows stay in their box, to record")
        #expect(try cli.digest() == head)

        let replaced = try await post([("rows", corrected), ("earlierRows", earlier), ("reason", "Dates corrected by the provider"), ("action", "record")])
        #expect(replaced.status == 201 && replaced.body.contains("Replaced the earlier return by the corrected return: retracted 2 events of the earlier return (seq 10, 11; EventRetracted at seq 12-13) and recorded 2 rows of the corrected return (seq 14-15; line 3 correcting line 3 of the earlier return); 1 row as it was."), "\(replaced.body)")
        let retraction = try RetractCommandTests.event(cli, at: 12)
        #expect(retraction["data"]?["reason"] == "Dates corrected by the provider" && retraction["meta"]?["source"] == "dashboard:record")
        let right = try RetractCommandTests.event(cli, at: 14)
        #expect(right["occurredOn"] == "2024-05-04" && right["meta"]?["source"] == "dashboard:record", "\(right)")
        #expect(right["meta"]?["corrects"] == (try RetractCommandTests.event(cli, at: 10))["id"], "its date alone corrected, it names the event it corrects")
        let again = try await post([("rows", corrected), ("earlierRows", earlier), ("action", "record")])
        #expect(again.status == 200 && again.body.contains("Nothing to change: the corrected return is in place of the earlier return already"), "\(again.body)")

        // Both returns chosen as files, as a browser sends them: named by their files.
        let boundary = "----careledgerTestBoundary9QX2"
        let files = try await server.request("/record", bytes: Self.multipart([("type", "TrainingCompleted"), ("action", "check"), ("rows", "")], file: ("training-v2.csv", Array(corrected.utf8)),
                                                                             boundary: boundary, earlierFile: ("training.csv", Array(earlier.utf8))),
                                             headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(files.status == 200 && files.body.contains("Nothing to change: training-v2.csv is in place of training.csv already")
                && files.body.contains(#"From training.csv.<input type="hidden" name="earlierName" value="training.csv">"#), "the file's name is kept with its rows: \(files.body)")
        let named = try await post([("rows", corrected), ("earlierRows", earlier), ("earlierName", "training.csv"), ("action", "check")])
        #expect(named.body.contains("Nothing to change: the corrected return is in place of training.csv already"), "\(named.body)")
    }

    /// The earlier return as a workbook's sheet of its own (`earlierSheet`), where the
    /// corrected rows are CSV: `record --replaces-sheet`.
    @Test func theEarlierReturnsSheetIsNamedApart() async throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["record", "--rows", RecordCommandTests.workbooks[0], "--sheet", "Notes"])  // seq 9: W-1 arrived on 2024-01-01
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let boundary = "----careledgerTestBoundary4EW1"
        let workbook = try [UInt8](Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0])))
        func check(_ sheet: [(String, String)]) async throws -> RunningServer.Answer {
            try await server.request("/record", bytes: Self.multipart([("type", "WorkerArrived"), ("action", "check"), ("rows", "occurredOn,workerRef\n2024-01-02,W-1\n")] + sheet, file: nil,
                                                                      boundary: boundary, earlierFile: ("provider-return.xlsx", workbook)),
                                     headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        }
        let first = try await check([])
        #expect(first.status == 400 && first.body.contains("line 2: /type: this row&#39;s type column says EmploymentEnded"), "its first sheet, the return's: \(first.body)")
        let notes = try await check([("earlierSheet", "Notes")])
        #expect(notes.status == 200 && notes.body.contains("Checked: 1 event of provider-return.xlsx to retract, 1 row of the corrected return to record (line 2 correcting line 2 of provider-return.xlsx)")
                && notes.body.contains(#"<input name="earlierSheet" size="16" value="Notes">"#), "\(notes.body)")
    }

    @Test func aWriterChoosesAFileOfRowsToCheckAndRecord() async throws {
        let cli = try CLIWorkspace().initialised()
        let writer = try cli.token("officer", role: "writer")
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let head = try cli.digest()
        let boundary = "----careledgerTestBoundary7MA4YWxk"
        func post(_ fields: [(String, String)], file: (name: String, bytes: [UInt8])?) async throws -> RunningServer.Answer {
            try await server.request("/record", bytes: Self.multipart(fields, file: file, boundary: boundary),
                                     headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Cookie": "careledger_token=\(writer)"])
        }

        // The page's form sends a file: a browser then posts it as multipart/form-data.
        let page = try await server.request("/record", headers: ["Cookie": "careledger_token=\(writer)"])
        #expect(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("<input type=\"file\" name=\"file\""), "\(page.body)")

        // A file saved by a spreadsheet as "CSV UTF-8": a byte order mark, CRLF lines. Its rows take
        // the place of the box's, are checked by the file's name and lines, and fill the box to record.
        let csv = Array("\u{FEFF}occurredOn,workerRef,spellId,reason\r\n2024-06-30,W-1,S-1,choseToLeave\r\n2024-07-01,W-1,S-7,retired\r\n".utf8)
        let checked = try await post([("type", "EmploymentEnded"), ("action", "check"), ("rows", "occurredOn,workerRef\n")], file: ("leavers.csv", csv))
        #expect(checked.status == 400 && checked.body.contains("1 of 2 rows would be refused") && checked.body.contains("line 3: /data/spellId"), "\(checked.body)")
        #expect(checked.body.contains("The rows of leavers.csv are in the box below"))
        #expect(checked.body.contains(">occurredOn,workerRef,spellId,reason\r\n2024-06-30,W-1,S-1,choseToLeave\r\n"), "the file's rows fill the box, to mend")
        #expect(try cli.digest() == head)

        // Mended in the box and recorded from it, with no file chosen (a browser sends an empty part).
        let recorded = try await post([("type", "EmploymentEnded"), ("action", "record"), ("rows", "occurredOn,workerRef,spellId,reason\n2024-06-30,W-1,S-1,choseToLeave\n")],
                                      file: nil)
        #expect(recorded.status == 201 && recorded.body.contains("Recorded 1 event (seq 9 to 9)"), "\(recorded.body)")

        // A file a spreadsheet saved in its own code page is refused by its name, and nothing is written.
        let latin1: [UInt8] = Array("occurredOn,workerRef,kind,title\n2024-07-02,W-1,english,Fran".utf8) + [0xE7] + Array("ais\n".utf8)
        let refused = try await post([("type", "TrainingCompleted"), ("action", "record"), ("rows", "")], file: ("training.csv", latin1))
        #expect(refused.status == 400 && refused.body.contains("training.csv is not UTF-8 text") && refused.body.contains("CSV UTF-8"), "\(refused.body)")
        // A damaged Excel 2003 XML file whose element name is not UTF-8 stopped the server inside
        // Foundation's parser: it is refused as not well-formed, and the server serves on.
        let damaged = Array("<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Work".utf8) + [0xE2] + Array("sheet/></Workbook>".utf8)
        let notUTF8 = try await post([("type", "TrainingCompleted"), ("action", "check"), ("rows", "")], file: ("return.xml", damaged))
        #expect(notUTF8.status == 400 && notUTF8.body.contains("return.xml is damaged: it is not well-formed XML (its first fault is at line 2, column 69, where its bytes are not UTF-8)"), "\(notUTF8.body)")
        // So did an .xlsx whose directory points past its end, inside ZIPFoundation.
        var pastItsEnd = Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0])))
        let end = (0...(pastItsEnd.count - 22)).last { pastItsEnd[$0..<$0 + 4] == [0x50, 0x4B, 0x05, 0x06] }!
        pastItsEnd.replaceSubrange((end + 16)..<(end + 20), with: [0xFF, 0xFF, 0xFF, 0x7F])
        let pointing = try await post([("type", "TrainingCompleted"), ("action", "check"), ("rows", "")], file: ("return.xlsx", pastItsEnd))
        #expect(pointing.status == 400 && pointing.body.contains("return.xlsx is damaged: its central directory begins past the end of the file"), "\(pointing.body)")
        // And, inside MultipartKit, a part's header whose name holds a byte over 127, or an empty boundary.
        let oddHeader = Array("--b\r\nContent-Disp".utf8) + [0xFF] + Array("osition: form-data; name=\"type\"\r\n\r\nTrainingCompleted\r\n--b--\r\n".utf8)
        for boundary in ["b", "\"\""] {
            let odd = try await server.request("/record", bytes: oddHeader, headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Cookie": "careledger_token=\(writer)"])
            #expect(odd.status == 400, "\(odd.body)")
        }
        #expect(try await server.request("/healthz").status == 200)
        // A workbook as it came, .xlsx, .ods or .fods: its first sheet fills the box as CSV whose lines are its row numbers.
        for (index, name) in [(1, "return.xlsx"), (4, "return.ods"), (6, "return.fods")] {
            let workbook = Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[index])))
            let sheet = try await post([("type", "EmploymentEnded"), ("action", "check"), ("rows", "")], file: (name, workbook))
            #expect(sheet.status == 400 && sheet.body.contains("line 4: /type: this row&#39;s type column says EmploymentStarted"), "\(name): \(sheet.body)")
            #expect(sheet.body.contains(">type,occurredOn,workerRef,spellId,reason,providerId,jobRole,contractType,viaReplacement,kind,title,offerId,soc,weeklyHours,hourlyPayPence,channel\nEmploymentEnded,2024-06-30,W-1,S-1,choseToLeave\n\nEmploymentStarted,2024-07-01,"),
                    "\(name): \(sheet.body)")
        }
        // A workbook's refusals name its rows, though a cell over two lines pushes the rows after
        // it down a line in the box: what is checked is the sheet as read.
        let twoLines = cli.folder.file("two-lines.xlsx")
        try writeWorkbook([("Training", [["occurredOn", "workerRef", "kind", "title"], ["2024-07-02", "W-1", "english", "ESOL\nEntry 3"],
                                         ["2024-07-03", "W-1", "english", "ESOL"], ["2024-07-04", "W-1", "juggling", "Juggling"]], false)], to: twoLines)
        let training = try await post([("type", "TrainingCompleted"), ("action", "check"), ("rows", "")], file: ("training.xlsx", Array(try Data(contentsOf: URL(fileURLWithPath: twoLines)))))
        #expect(training.body.contains("line 4: /data/kind") && !training.body.contains("line 5"), "\(training.body)")
        // A workbook of several sheets: the page says which was read; its sheet field reads another.
        let workbook = Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0])))
        let first = try await post([("type", ""), ("action", "check"), ("rows", ""), ("sheet", "")], file: ("return.xlsx", workbook))
        #expect(first.body.contains(#"<p class="note" id="sheets">Read return.xlsx&#39;s sheet Return, not its other sheet, Notes: choose the file again with a sheet&#39;s name to read another.</p>"#), "\(first.body)")
        let notes = try await post([("type", ""), ("action", "check"), ("rows", ""), ("sheet", "Notes")], file: ("return.xlsx", workbook))
        #expect(notes.status == 200 && notes.body.contains(">type,occurredOn,workerRef\nWorkerArrived,2024-01-01,W-1\n<") && !notes.body.contains("id=\"sheets\""), "\(notes.body)")
        // The sheet field offers the workbook's sheets, and keeps the one named: choosing the file
        // again to record a return too large for the box must not read its first sheet instead.
        #expect(first.body.contains(#"<input name="sheet" size="16" list="sheet-names" value=""><datalist id="sheet-names"><option value="Return"></option><option value="Notes"></option></datalist>"#), "\(first.body)")
        #expect(notes.body.contains(#"<input name="sheet" size="16" list="sheet-names" value="Notes">"#), "\(notes.body)")
        // A sheet the workbook lacks is refused by name, with the type still chosen.
        let missing = try await post([("type", "WorkerArrived"), ("action", "check"), ("rows", ""), ("sheet", "Notse")], file: ("return.xlsx", workbook))
        #expect(missing.status == 400 && missing.body.contains("return.xlsx has no sheet named &quot;Notse&quot; (did you mean Notes?)"), "\(missing.body)")
        #expect(missing.body.contains("<option selected>WorkerArrived</option>") && missing.body.contains(#"value="Notse">"#), "\(missing.body)")
        // A file's rows too many for a text box are not sent back into it; the page says how to record them.
        let many = Array(("occurredOn,workerRef,kind,title\n" + String(repeating: "2024-07-01,W-1,juggling,\(String(repeating: "Moving and handling refresher ", count: 4))\n", count: 40_000)).utf8)
        let big = try await post([("type", "TrainingCompleted"), ("action", "check"), ("rows", "")], file: ("big.csv", many))
        #expect(big.body.contains("The rows of big.csv are too many to show here: to record them as checked, choose the file again and press Record."),
                "\(big.body.prefix(2_000))")
        #expect(big.body.utf8.count < 100_000 && big.body.contains("line 2: /data/kind"), "\(big.status) \(big.body.prefix(2_000))")
        #expect(big.body.contains("<li>and 39800 more problems (the first 200 are shown)</li>"), "every row's kind is wrong; the page lists 200")
        let broken = try await server.request("/record", bytes: Array("--x\r\nnot a part".utf8),
                                              headers: ["Content-Type": "multipart/form-data", "Cookie": "careledger_token=\(writer)"])
        #expect(broken.status == 400 && broken.body.contains("names no boundary"), "\(broken.body)")
        #expect(try cli.expect(0, ["digest"]).standardOutput.hasPrefix("9:"), "only the mended row landed")
    }
}
