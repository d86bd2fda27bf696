import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
@testable import SpreadsheetRows
import Testing

/// A web page's tables read as a workbook's sheets: what a case or HR system's "export to
/// Excel" writes, often named `.xls`. It was refused, and staff had to open it in a spreadsheet
/// and save it again before recording a return.
@Suite struct WebPageTableTests {
    /// An export as such systems write one: Windows-1252 without saying so, a title laid out in
    /// a table of its own, a caption, `th` cells and cells left open, entities and no-break
    /// spaces, a comment and a script holding markup, a line break in a cell, a title row
    /// spanning the columns, and an empty row; a comment holding a row.
    static let export = """
        <html xmlns:x="urn:schemas-microsoft-com:office:excel">
        <head><title>Export <td>not a cell</td></title>
        <script>document.write("<table><tr><td>occurredOn</td></tr></table>")</script></head>
        <body>
        <table><tr><td><b>Northshire &amp; partners</b></td></tr></table>
        <TABLE border=1>
        <caption> Partners  registered </caption>
        <tr><td colspan=5>Return for Q1 2024</td></tr>
        <thead><tr><th>occurredOn<th>partnerId<th>name<th>kind<th>laCode</tr></thead>
        <tbody>
        <tr><td>2024-01-02</td><td>PT-9</td><td>Advice&nbsp;Hub \u{A0}  Ltd</td><td>hub</td><td>E08000025</td></tr>
        <tr><td>2024-01-03<td>PT-10<td>St Mary&#146;s<br>Caf\u{E9}<td>faithGroup<td>E08000026
        <!-- <tr><td>2024-01-04</td><td>PT-11</td></tr> -->
        <tr><td>&nbsp;</td><td></td></tr>
        <tr><td>2024-01-05</td><td>PT-12</td><td>A &lt;B&gt; &#x2013; C&unknown;</td><td>housing</td><td>E08000027</td></tr>
        </tbody></table>
        </body></html>
        """

    @Test func anExportToExcelIsRecordedAsItsTablesRows() throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let page = cli.folder.file("export.xls")
        try #require(FileManager.default.createFile(atPath: page, contents: Self.export.data(using: .windowsCP1252)))
        let shown = try cli.expect(0, ["record", "PartnerRegistered", "--rows", page, "--show"])
        let events = try shown.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(events.map { $0["data"]?["partnerId"] } == ["PT-9", "PT-10", "PT-12"], "\(shown.standardOutput)")
        #expect(events.map { $0["data"]?["name"] } == ["Advice Hub Ltd", "St Mary\u{2019}s\nCaf\u{E9}", "A <B> \u{2013} C&unknown;"])
        #expect(events.map { $0["data"]?["kind"] } == ["hub", "faithGroup", "housing"] && events[1]["data"]?["laCode"] == "E08000026")
        #expect(shown.standardError.contains("read \(page)'s sheet Partners registered, not its other sheet, Table 1 (--sheet NAME reads another)"), "\(shown.standardError)")
        // Rows are numbered as Excel numbers them, in the table: the title row 1, the header 2,
        // the empty row 5 (the comment's row is none).
        let wrong = cli.folder.file("wrong.html")
        try Self.export.replacingOccurrences(of: "<td>housing</td>", with: "<td>church</td>").write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try cli.expect(3, ["record", "PartnerRegistered", "--rows", wrong]).standardError
        #expect(refused.contains("line 6: /data/kind: must be one of"), "\(refused)")
        // A cell spanning two rows holds its column in the row below, blank there as a merged
        // cell's is: that row's cells after it are not moved left into its column.
        let spanning = cli.folder.file("spanning.htm")
        try Self.export.replacingOccurrences(of: "<td>hub</td>", with: "<td rowspan=\"2\">hub</td>").replacingOccurrences(of: "<td>faithGroup", with: "")
            .write(toFile: spanning, atomically: true, encoding: .utf8)
        let spanned = try cli.expect(3, ["record", "PartnerRegistered", "--rows", spanning, "--check"]).standardOutput
        #expect(spanned.contains("line 4: /data/kind: is required and missing") && !spanned.contains("must be one of"), "\(spanned)")
        let title = try cli.expect(2, ["record", "PartnerRegistered", "--rows", page, "--sheet", "Table 1"]).standardError
        #expect(title.contains("\(page)'s header names no occurredOn column"), "\(title)")
        let asEvents = try cli.expect(3, ["import", page]).standardError
        #expect(asEvents.contains("\(page) is a web page, whose tables are read as a workbook's sheets, not events written as NDJSON: `careledger record TYPE --rows"), "\(asEvents)")
        #expect(try cli.digest() == head)
        try cli.expect(0, ["record", "PartnerRegistered", "--rows", page])
        #expect(try cli.digest().hasPrefix("\(Int(head.prefix { $0 != ":" })! + 3):"))
    }

    /// LibreOffice's save of the typed return as a web page (`Tools/fixtures/make-return-ods.sh`)
    /// reads as the `.ods` does: each sheet a table named by the heading above it, a date shown
    /// dd/mm/yyyy or with a time of day read as its day from the serial saved beside it, a
    /// boolean as its word, a cell's comment left out.
    @Test func libreOfficesWebPageReadsAsItsWorkbookDoes() throws {
        let cli = try CLIWorkspace().initialised()
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures").standardized.path
        func shown(_ file: String) throws -> (events: [JSONValue], said: String) {
            let run = try cli.expect(0, ["record", "--rows", fixtures + "/" + file, "--show"])
            let events = try run.standardOutput.split(separator: "\n").map { line in
                JSONValue.object(try #require(try JSONValue(parsing: String(line)).objectValue).filter { $0.0 != "recordedAt" })
            }
            return (events, run.standardError)
        }
        let page = try shown("provider-return-typed.html"), workbook = try shown("provider-return-typed.ods")
        #expect(page.events.count == 4 && page.events == workbook.events, "\(page.events)")
        #expect(page.said.contains("provider-return-typed.html's sheet Return, not its other sheet, Notes"), "\(page.said)")
        let unknown = try cli.expect(2, ["record", "--rows", fixtures + "/provider-return-typed.html", "--sheet", "Note"]).standardError
        #expect(unknown.contains("has no sheet named \"Note\" (did you mean Notes?); its sheets: Return, Notes"), "\(unknown)")
        #expect(HTMLSavedValue(["sdval": "45475", "sdnum": "2057;0;DD/MM/YYYY"])?.value(shown: "02/07/2024") == "2024-07-02")
        #expect(HTMLSavedValue(["sdval": "37.5", "sdnum": "2057;"]) == nil && HTMLSavedValue(["sdval": "1", "sdnum": "1033;0;BOOLEAN"])?.value(shown: "TRUE") == "true")
        #expect(HTMLSavedValue(["sdval": "6135", "sdnum": "1033;0;0"])?.value(shown: "6135") == "6135", "a number's format is no date's")
    }

    /// A sheet Excel saved as a web page, as its HTML reference documents one: a date's serial
    /// day in `x:num` beside its shown text, its format in the style sheet's class for the cell
    /// (or the cell's own style), a boolean in `x:bool`, empty cells a no-break space, and the
    /// workbook's settings in a conditional comment.
    static let excelPage = #"""
        <html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
        <head>
        <meta http-equiv=Content-Type content="text/html; charset=windows-1252">
        <meta name=ProgId content=Excel.Sheet>
        <style>
        <!--table
        	{mso-displayed-decimal-separator:"\.";
        	mso-displayed-thousand-separator:"\,";}
        .style0
        	{mso-number-format:General;
        	mso-style-name:Normal;}
        td
        	{mso-style-parent:style0;
        	mso-number-format:General;}
        .xl65
        	{mso-style-parent:style0;
        	mso-number-format:"Short Date";}
        .xl66
        	{mso-style-parent:style0;
        	mso-number-format:Standard;}
        -->
        </style>
        <!--[if gte mso 9]><xml>
         <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>Return</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
        </xml><![endif]-->
        </head>
        <body link=blue vlink=purple>
        <table x:str border=0 cellpadding=0 cellspacing=0 width=640 style='border-collapse:collapse;table-layout:fixed;width:480pt'>
         <col width=64 span=10 style='width:48pt'>
         <tr height=20 style='height:15.0pt'>
          <td height=20 width=64 style='height:15.0pt;width:48pt'>type</td><td>occurredOn</td><td>workerRef</td><td>spellId</td><td>reason</td>
          <td>providerId</td><td>jobRole</td><td>contractType</td><td>viaReplacement</td>
         </tr>
         <tr height=20 style='height:15.0pt'>
          <td height=20 style='height:15.0pt'>EmploymentEnded</td><td class=xl65 align=right x:num="45473">30/06/2024</td><td>W-1</td><td>S-1</td>
          <td>choseToLeave</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td>
         </tr>
         <tr height=20 style='height:15.0pt'>
          <td height=20 style='height:15.0pt'>EmploymentStarted</td><td align=right style='mso-number-format:"dd\/mm\/yyyy"' x:num="45474.5">01/07/2024</td>
          <td>W-1</td><td>S-2</td><td>&nbsp;</td><td>P-1</td><td>careWorker</td><td>permanent</td><td align=center x:bool="FALSE">FALSE</td>
         </tr>
        </table>
        </body>
        </html>
        """#

    @Test func excelsWebPageReadsItsDatesAndBooleans() throws {
        let cli = try CLIWorkspace().initialised()
        let page = cli.folder.file("return.htm")
        try #require(FileManager.default.createFile(atPath: page, contents: Self.excelPage.data(using: .windowsCP1252)))
        let shown = try cli.expect(0, ["record", "--rows", page, "--show"])
        let events = try shown.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(events.map { $0["occurredOn"] } == ["2024-06-30", "2024-07-01"], "\(shown.standardOutput)\(shown.standardError)")
        #expect(events[1]["data"]?["viaReplacement"] == false && events[1]["data"]?["providerId"] == "P-1" && events[0]["data"]?["providerId"] == nil)
        // A number format named Standard is no date for its d, nor a serial under a text format.
        #expect(HTMLSavedValue(["x:num": "45473", "class": "xl66"], classFormats: ["xl66": "Standard"])?.value(shown: "45,473.00") == "45,473.00")
        #expect(HTMLSavedValue(["x:num": "45473", "style": "mso-number-format:'\\@'"])?.value(shown: "45473") == "45473")
        #expect(HTMLSavedValue(["x:num": "", "class": "xl65"]) == nil, "a bare x:num says only that the shown text is a number")
        #expect(HTMLSavedValue.classFormats(inStyleSheet: ".xl65, td.xl70\n\t{mso-number-format:\"Short Date\";}\n@page {margin:0}") == ["xl65": "Short Date", "xl70": "Short Date"])
    }

    /// The sheet name Excel shows on the tab of a page it opens, which an export declares in its
    /// head (`x:ExcelWorksheet`, in a comment a browser passes by): the name a person gives
    /// `--sheet`. It was refused ("no sheet named Leavers; its sheets: Table 1").
    @Test func theSheetNameExcelShowsForAPageIsItsName() throws {
        let cli = try CLIWorkspace().initialised()
        func page(_ tables: String, name: String = "Leavers &amp; movers") -> String {
            """
            <html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="UTF-8"><!--[if gte mso 9]><xml><x:ExcelWorkbook>
            <x:ExcelWorksheets><x:ExcelWorksheet><x:Name> \(name) </x:Name><x:WorksheetOptions><x:DisplayGridlines/></x:WorksheetOptions>
            </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook><x:ExcelName><x:Name>Print_Titles</x:Name></x:ExcelName></xml><![endif]--></head>
            <body>\(tables)</body></html>
            """
        }
        let rows = "<table><tr><th>occurredOn<th>workerRef<th>kind<th>title<tr><td>2024-06-11<td>W-1<td>english<td>ESOL</table>"
        let title = "<table><tr><td>Northshire training return</table>"
        let one = cli.folder.file("one.xls"), two = cli.folder.file("two.xls"), captioned = cli.folder.file("captioned.xls")
        try page(rows).write(toFile: one, atomically: true, encoding: .utf8)
        try page(title + rows).write(toFile: two, atomically: true, encoding: .utf8)
        try page(rows.replacingOccurrences(of: "<table>", with: "<table><caption>Training</caption>")).write(toFile: captioned, atomically: true, encoding: .utf8)
        for file in [one, two] {
            let shown = try cli.expect(0, ["record", "TrainingCompleted", "--rows", file, "--sheet", "Leavers & movers", "--show"])
            #expect(shown.standardOutput.contains(#""title":"ESOL""#), "\(file): \(shown.standardOutput)\(shown.standardError)")
        }
        // Its one table takes the name; of several, each keeps its own, and the page's name
        // reads the table of rows, as no --sheet does.
        let wrong = try cli.expect(2, ["record", "TrainingCompleted", "--rows", one, "--sheet", "Leaver"]).standardError
        #expect(wrong.contains("its sheets: Leavers & movers"), "\(wrong)")
        let several = try cli.expect(2, ["record", "TrainingCompleted", "--rows", two, "--sheet", "Leaver"]).standardError
        #expect(several.contains("its sheets: Table 1, Table 2"), "\(several)")
        #expect(try cli.expect(0, ["record", "TrainingCompleted", "--rows", two, "--sheet", "Table 2", "--check"]).standardOutput.contains("1 would be appended"))
        // A caption is the table's own name, as the page shows it.
        let ownName = try cli.expect(2, ["record", "TrainingCompleted", "--rows", captioned, "--sheet", "Leaver"]).standardError
        #expect(ownName.contains("its sheets: Training"), "\(ownName)")
        #expect(ExcelWorksheets(in: Array("<x:ExcelWorksheet><x:Name>  </x:Name>".utf8)).name == nil)
        #expect(ExcelWorksheets(in: Array("<x:ExcelName><x:Name>Print_Titles</x:Name></x:ExcelName>".utf8)).name == nil, "a defined name is no sheet's")
        #expect(ExcelWorksheets(in: Array("<x:ExcelWorksheet><x:Name>Q1 &#8211; &lt;all&gt;</x:Name>".utf8)).name == "Q1 \u{2013} <all>")
    }

    /// A workbook Excel saved as a web page is a frame, its sheets files of their own beside it:
    /// given the frame, the refusal names them, as it said only that there was no table.
    @Test func aWorkbooksFrameNamesItsSheetsFiles() throws {
        let frame = #"""
            <html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta name=ProgId content=Excel.Sheet>
            <link id="shLink" href="Return_files/sheet001.htm"><!--[if gte mso 9]><xml>
             <x:ExcelWorkbook><x:ExcelWorksheets>
              <x:ExcelWorksheet><x:Name>Leavers</x:Name><x:WorksheetSource HRef="Return_files/sheet001.htm"/></x:ExcelWorksheet>
              <x:ExcelWorksheet><x:Name>Starters &amp; movers</x:Name><x:WorksheetSource HRef="Return_files/sheet002.htm"/></x:ExcelWorksheet>
             </x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head>
            <frameset rows="*,39" border=0><frame src="Return_files/sheet001.htm" name="frSheet"><frame src="Return_files/tabstrip.htm" name="frTabs"></frameset></html>
            """#
        do {
            _ = try Workbook.sheet(of: Array(frame.utf8), source: "Return.htm")
            Issue.record("a frame was read")
        } catch {
            #expect(error.rule == "Return.htm is the frame of a workbook saved as a web page, which holds no table: each sheet is a file of its own, beside it; "
                    + "give the sheet's file instead: Return_files/sheet001.htm (Leavers), Return_files/sheet002.htm (Starters & movers)", "\(error.rule)")
        }
    }

    /// What is not a table of rows is refused saying what it is.
    @Test func aPageWithoutATableOrInAnotherCodePageIsRefused() throws {
        func refusal(_ page: String, bytes: [UInt8]? = nil) -> String? {
            do {
                _ = try Workbook.sheet(of: bytes ?? Array(page.utf8), source: "export.xls")
                return nil
            } catch {
                return error.rule
            }
        }
        #expect(refusal("<!DOCTYPE html><html><body><p>No data</p></body></html>") == "export.xls is a web page with no table in it: there are no rows to read")
        #expect(refusal("<html><head><meta charset=\"shift_jis\"></head><table><tr><td>occurredOn</td></tr></table></html>")?
            .hasPrefix("export.xls is a web page in the code page shift_jis, which is not read: save it as .xlsx") == true)
        #expect(refusal("", bytes: Array("<html><head><meta charset=utf-8></head><table><tr><td>".utf8) + [0xE9])?
            .hasPrefix("export.xls is not UTF-8 text, though it says it is") == true)
        let wide = "<table><tr><td colspan=1000>a</td>" + String(repeating: "<td colspan=1000></td>", count: 17) + "</tr></table>"
        #expect(refusal(wide)?.contains("is larger than the largest sheet read") == true, "17,000 columns")
        // Pasted as text (the /record page's box) it is refused, asking for the file.
        do {
            _ = try CSVRows(Array("<table><tr><td>occurredOn</td></tr></table>".utf8), source: "the rows")
            Issue.record("pasted markup was read as CSV")
        } catch {
            #expect(error.rule.contains("the rows is a web page (HTML), as a system's \"export to Excel\" often writes one: give it as a file"), "\(error.rule)")
        }
        // Markup that only names `table:` elements is not a web page.
        #expect(!Workbook.isWorkbook(Array("<doc><table:table/></doc>".utf8)) && Workbook.isWorkbook(Array("<TABLE\n><tr><td>1".utf8)))
    }

    /// Sent to `POST /v1/events?type=`, as a system would send its export, and chosen as the
    /// file of `/record`'s form, which shows its table's rows as CSV, line N its row N.
    @Test func anExportPostedOrChosenOnThePageIsRecorded() async throws {
        let cli = try CLIWorkspace().initialised()
        let server = try RunningServer(data: cli.data)
        defer { _ = server.stop() }
        let boundary = "----careledgerTestBoundaryWeb1"
        let chosen = try await server.request("/record", bytes: RecordPageTests.multipart([("type", "PartnerRegistered"), ("action", "check"), ("rows", "")],
                                                                                           file: ("export.xls", Array(Self.export.utf8)), boundary: boundary),
                                              headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(chosen.status == 200 && chosen.body.contains("Checked 3 rows: 3 would be recorded. Nothing was written yet.")
                && chosen.body.contains("\n2024-01-05,PT-12,A &lt;B&gt; \u{2013} C&amp;unknown;,housing,E08000027\n</textarea>"), "\(chosen.body)")
        #expect(chosen.body.contains("Read export.xls&#39;s sheet Partners registered, not its other sheet, Table 1: choose the file again"), "\(chosen.body)")
        let answer = try await server.request("/v1/events?type=PartnerRegistered", bytes: Array(Self.export.utf8), headers: ["Content-Type": "application/vnd.ms-excel"])
        #expect(answer.status == 201 && answer.body.contains("partner-PT-12"), "\(answer.body)")
    }
}
