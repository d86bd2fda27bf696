@testable import CareLedger
import LedgerJSON
import Testing

/// RFC 4180 as spreadsheets write it, each row with the line it starts on.
@Suite struct CSVRowsTests {
    func rows(_ text: String) throws -> CSVRows { try CSVRows(Array(text.utf8)) }

    @Test func quotedFieldsCommasQuotesAndLineBreaks() throws {
        let csv = try rows("a,b,c\r\n1,\"two, three\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\r\n4,5,\"\"\r\n")
        #expect(csv.header == .init(line: 1, fields: ["a", "b", "c"]))
        #expect(csv.rows == [.init(line: 2, fields: ["1", "two, three", "say \"hi\""]),
                             .init(line: 3, fields: ["multi\nline", "", "x"]),
                             .init(line: 5, fields: ["4", "5", ""])])
    }

    /// A line is at most as wide as the widest spreadsheet: a file of sixteen million commas
    /// took a minute and 866 MB to refuse, each empty field held, and its header was split
    /// whole to find its separator. Refused by its line; a line as wide as a sheet is read.
    @Test func aLineWiderThanASpreadsheetIsRefused() throws {
        let widest = try rows("occurredOn" + String(repeating: ";", count: CSVRows.mostColumns - 1) + "\n2024-01-01" + String(repeating: ";", count: CSVRows.mostColumns - 1) + "x\n")
        #expect(widest.header.fields.count == CSVRows.mostColumns && widest.rows.first?.fields.last == "x")
        #expect {
            try rows("occurredOn;note\n2024-01-01" + String(repeating: ";", count: CSVRows.mostColumns) + "\n")
        } throws: { error in
            let error = error as? LedgerError
            return error?.location == .line(2) && error?.rule == "this line has more than 16384 fields, more columns than a spreadsheet holds: is it a return's rows, and is its separator a semicolon?"
        }
    }

    @Test func aByteOrderMarkBlankRowsAndNoFinalLineBreak() throws {
        let csv = try rows("\u{FEFF}a,b\n\n,\n1,2")
        #expect(csv.header.fields == ["a", "b"])
        #expect(csv.rows == [.init(line: 4, fields: ["1", "2"])])
        #expect(try rows("a,b\n1\n").rows == [.init(line: 2, fields: ["1"])], "a short row: its missing cells are blank")
    }

    /// A return's title, or a row of labels for people, above the header is not its columns:
    /// the header is the first row naming occurredOn, and every row keeps its line.
    @Test func aTitleAboveTheHeaderIsNotRead() throws {
        let csv = try rows("Provider return, Q2 2025\n\nDate,Worker\noccurredOn,workerRef\n2024-06-30,W-1\n")
        #expect(csv.header == .init(line: 4, fields: ["occurredOn", "workerRef"]))
        #expect(csv.rows == [.init(line: 5, fields: ["2024-06-30", "W-1"])])
        let pasted = try rows("Provider return\noccurredOn\tworkerRef\n2024-06-30\tW-1\n")
        #expect(pasted.header.fields == ["occurredOn", "workerRef"] && pasted.rows.first?.fields == ["2024-06-30", "W-1"], "a title of one cell says nothing of tabs")
        let commaTitle = try rows("Provider return, Q2 2025\noccurredOn\tworkerRef\n2024-06-30\tW-1\n")
        #expect(commaTitle.header.fields == ["occurredOn", "workerRef"] && commaTitle.rows.first?.fields == ["2024-06-30", "W-1"], "the header's line says tabs, whatever a title above it holds")
        // A spreadsheet set to a European locale saves CSV separated by semicolons.
        let semicolons = try rows("occurredOn;workerRef;title\n2024-06-30;W-1;\"ESOL; Entry 3\"\n")
        #expect(semicolons.header.fields == ["occurredOn", "workerRef", "title"] && semicolons.rows.first?.fields == ["2024-06-30", "W-1", "ESOL; Entry 3"], "\(semicolons.rows)")
        let tabbedNote = try rows("Note\tfilled in by the provider\noccurredOn,workerRef\n2024-06-30,W-1\n")
        #expect(tabbedNote.header.fields == ["occurredOn", "workerRef"], "the header's line says commas, whatever a note above it holds")
        let unnamed = try rows("Date,Worker\n2024-06-30,W-1\n")
        #expect(unnamed.header.fields == ["Date", "Worker"], "with no row naming occurredOn, the first row is the header, for the reading to refuse")
    }

    /// A header that names occurredOn all but exactly (a capital, a space) is still the header,
    /// not the title above it, so that the refusal names the column to rename.
    @Test func aHeaderThatNearlyNamesOccurredOnIsRefusedByThatColumn() throws {
        let csv = try rows("Provider return, Q2\nOccurred On,workerRef\n2024-06-30,W-1\n")
        #expect(csv.header == .init(line: 2, fields: ["Occurred On", "workerRef"]))
        #expect(csv.rows.map(\.line) == [3])
        let refusal = try #require(throws: LedgerError.self) { try RowHeader(csv, source: "return.csv") }
        #expect(refusal.rule.contains("its columns: Occurred On, workerRef; rename Occurred On to occurredOn"), "\(refusal.rule)")
        let far = try #require(throws: LedgerError.self) { try RowHeader(rows("Date,workerRef\n2024-06-30,W-1\n"), source: "return.csv") }
        #expect(far.rule.hasSuffix("its columns: Date, workerRef"), "no column is near occurredOn: \(far.rule)")
    }

    @Test func cellsPastedFromASpreadsheetAreSeparatedByTabs() throws {
        let csv = try rows("occurredOn\tworkerRef\tnote\n2024-06-30\tW-1\tone, two\n")
        #expect(csv.header.fields == ["occurredOn", "workerRef", "note"])
        #expect(csv.rows == [.init(line: 2, fields: ["2024-06-30", "W-1", "one, two"])], "a comma is text between tabs")
        // The first line alone says so: a tab in a later cell of a CRLF file is text.
        let crlf = try rows("occurredOn,title\r\n2024-07-01,\"ESOL\tEntry 3\"\r\n")
        #expect(crlf.header.fields == ["occurredOn", "title"] && crlf.rows.first?.fields == ["2024-07-01", "ESOL\tEntry 3"])
    }

    @Test("refusals name the line", arguments: [
        ("a,b\n1,\"open\n2,3\n", 2, "never closed"),
        ("a,b\n1,\"x\"y\n", 2, "after a field's closing quote"),
        ("a,b\n1,2\n1,2,3\n", 3, "3 fields and the header names 2"),
    ])
    func refusals(text: String, line: Int, rule: String) throws {
        let error = try #require(throws: LedgerError.self) { try rows(text) }
        #expect(error.location == .line(line) && error.rule.contains(rule), "\(error)")
    }

    /// Excel's "Unicode Text" is UTF-16 with a byte order mark, its cells separated by tabs.
    @Test func unicodeTextAsExcelSavesIt() throws {
        let text = "occurredOn\tworkerRef\ttitle\r\n2024-06-30\tW-1\tZoë’s ESOL\r\n"
        let little = [UInt8]([0xFF, 0xFE]) + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = [UInt8]([0xFE, 0xFF]) + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [little, big] {
            let csv = try CSVRows(bytes)
            #expect(csv.header.fields == ["occurredOn", "workerRef", "title"] && csv.rows == [.init(line: 2, fields: ["2024-06-30", "W-1", "Zoë’s ESOL"])])
        }
        #expect(try #require(throws: LedgerError.self) { try CSVRows([0xFF, 0xFE, 0x00, 0xD8]) }.rule.contains("not UTF-16"), "a lone surrogate")
    }

    @Test func notUTF8OrEmpty() throws {
        #expect(try #require(throws: LedgerError.self) { try CSVRows([0x61, 0xFF, 0x0A]) }.rule.contains("not UTF-8"))
        #expect(try #require(throws: LedgerError.self) { try rows("\n,,\n") }.rule.contains("no rows"))
    }
}

/// A sheet's cells as the fields their schema takes.
@Suite struct RowCellTests {
    /// Excel and LibreOffice save a boolean cell to CSV as `TRUE` or `FALSE`: a return saved so
    /// is read as the booleans it holds, and other text is still the validator's to refuse.
    @Test func aSpreadsheetsTrueAndFalseAreBooleans() throws {
        let csv = try CSVRows(Array("""
            occurredOn,workerRef,spellId,providerId,jobRole,contractType,viaReplacement
            2024-07-01,W-1,S-1,P-1,careWorker,permanent,TRUE
            2024-07-01,W-2,S-2,P-1,careWorker,permanent,False
            2024-07-01,W-3,S-3,P-1,careWorker,permanent,yes

            """.utf8))
        let events = try EventCatalogue.standard.events(ofRows: csv, source: "return.csv", type: .employmentStarted)
        #expect(events.map { $0.event["data"]?["viaReplacement"] } == [.bool(true), .bool(false), .string("yes")])
    }
}

/// A header's columns that no field of the rows' types takes: refused once, at the header,
/// rather than in every row that fills them; let be where every row leaves them blank.
@Suite struct RowColumnTests {
    func events(_ text: String, type: EventType? = .trainingCompleted) throws(LedgerError) -> [EventCatalogue.Entry.RowEvent] {
        try EventCatalogue.standard.events(ofRows: CSVRows(Array(text.utf8)), source: "return.csv", type: type)
    }

    @Test func aColumnNoFieldTakesIsRefusedOnceByItsName() throws {
        let rows = "2024-07-01,W-1,english,ESOL\n2024-07-02,W-1,english,ESOL\n"
        let misspelt = try #require(throws: LedgerError.self) { try events("occurredOn,Worker Ref,kind,title\n" + rows) }
        #expect(misspelt.code == .usage && misspelt.location == nil, "a header's problem, not each row's: \(misspelt)")
        #expect(misspelt.rule == "return.csv's column \"Worker Ref\" (B) is not a field of TrainingCompleted (did you mean workerRef?), and line 2 fills it: its fields are workerRef, kind, title, standardNumber, beside occurredOn, id and meta.KEY", "\(misspelt.rule)")
        // A column of the provider's own, left blank throughout, loses nothing and is let be.
        #expect(try events("occurredOn,workerRef,kind,title,Comments\n2024-07-01,W-1,english,ESOL,\n").count == 1)
        let own = try #require(throws: LedgerError.self) { try events("occurredOn,workerRef,kind,title,Comments\n2024-07-01,W-1,english,ESOL,\n2024-07-02,W-1,english,ESOL,late\n") }
        #expect(own.rule.hasPrefix("return.csv's column \"Comments\" (E) is not a field of TrainingCompleted, and line 3 fills it: "), "\(own.rule)")
        // With the rows' type column, a column none of their types takes.
        let mixed = "type,occurredOn,workerRef,spellId,reason,Note\nEmploymentEnded,2024-06-30,W-1,S-1,retired,\nWorkerArrived,2024-06-01,W-2,,,flew in\n"
        let typed = try #require(throws: LedgerError.self) { try events(mixed, type: nil) }
        #expect(typed.rule.hasPrefix("return.csv's column \"Note\" (F) is not a field of EmploymentEnded or WorkerArrived, and line 3 fills it: "), "\(typed.rule)")
        // A field of one of the types, filled in a row of another, is that row's to refuse, as before.
        let wrongRow = try events("type,occurredOn,workerRef,spellId,reason\nEmploymentEnded,2024-06-30,W-1,S-1,retired\nWorkerArrived,2024-06-01,W-2,,retired\n", type: nil)
        #expect(wrongRow.last?.event["data"]?["reason"] == "retired")
    }

    /// A column a type requires, missing from the header, is refused once too: every row of the
    /// type would lack it.
    @Test func aColumnATypeRequiresIsMissedOnce() throws {
        let missing = try #require(throws: LedgerError.self) { try events("occurredOn,workerRef,kind\n2024-07-01,W-1,english\n2024-07-02,W-1,english\n") }
        #expect(missing.code == .usage && missing.location == nil && missing.rule == "return.csv's header names no column title, which every TrainingCompleted needs: its required fields are workerRef, kind, title", "\(missing.rule)")
        // An object's members stand for it; a list's column may be blank, but not missing.
        #expect(try events("occurredOn,workerRef,kind,title\n2024-07-01,W-1,english,ESOL\n").count == 1)
        let mixed = try #require(throws: LedgerError.self) { try events("type,occurredOn,workerRef,spellId\nEmploymentEnded,2024-06-30,W-1,S-1\nWorkerArrived,2024-06-01,W-2,\n", type: nil) }
        #expect(mixed.rule.hasPrefix("return.csv's header names no column reason, which every EmploymentEnded needs: its required fields are workerRef, spellId, reason"), "\(mixed.rule)")
        // A misnamed column is named first: it is the missing one, most likely.
        let misnamed = try #require(throws: LedgerError.self) { try events("occurredOn,workerRef,kind,Title\n2024-07-01,W-1,english,ESOL\n") }
        #expect(misnamed.rule.contains("column \"Title\" (D) is not a field of TrainingCompleted (did you mean title?)"), "\(misnamed.rule)")
    }

    /// A spreadsheet saved as CSV often carries columns past the last it names, blank: they are
    /// no columns at all, until a row puts a value in one.
    @Test func columnsWithoutANameAreBlankOrRefusedByTheirRow() throws {
        let events = try events("occurredOn,workerRef,kind,title,,\n2024-07-01,W-1,english,ESOL,,\n")
        #expect(events.count == 1 && events[0].event["data"] == .object([("workerRef", "W-1"), ("kind", "english"), ("title", "ESOL")]))
        let filled = try #require(throws: LedgerError.self) { try self.events("occurredOn,workerRef,kind,title,,\n2024-07-01,W-1,english,ESOL,,\n2024-07-02,W-1,english,ESOL,,late\n") }
        #expect(filled.location == .line(3) && filled.rule == "this row has a value in column F, which the header leaves without a name: name the column or clear the cell", "\(filled)")
    }
}

/// A cell's spaces at either end, typed or pasted (a no-break space from a web page too), are not
/// its value: a date or an id with one was refused, and a title with one made a fact of its own.
@Suite struct RowCellSpaceTests {
    @Test func aCellIsReadWithoutTheSpacesAroundIt() throws {
        func events(_ text: String) throws -> [EventCatalogue.Entry.RowEvent] {
            try EventCatalogue.standard.events(ofRows: CSVRows(Array(text.utf8)), source: "return.csv", type: .trainingCompleted)
        }
        let spaced = try events("occurredOn,workerRef,kind,title,meta.source\n 2024-06-14 , W-1 ,english\u{A0},\"ESOL Entry 3 \n\", return A \n")
        let clean = try events("occurredOn,workerRef,kind,title,meta.source\n2024-06-14,W-1,english,ESOL Entry 3,return A\n")
        #expect(spaced.map(\.event) == clean.map(\.event), "\(spaced.map(\.event.compactText))")
        #expect(try events("occurredOn,workerRef,kind,title\n2024-06-14,W-1,english,\"two\nlines\"\n").first?.event["data"]?["title"] == "two\nlines", "a line break inside a cell is kept")
        // A header's cells too: a line break typed after a column's name (Alt+Enter in a
        // spreadsheet's cell) was taken for part of it, and the column for one no field takes.
        let broken = try events("\"occurredOn\n\",\"workerRef\r\n\",kind\u{A0},title,meta.source\n2024-06-14,W-1,english,ESOL Entry 3,return A\n")
        #expect(broken.map(\.event) == clean.map(\.event), "\(broken.map(\.event.compactText))")
    }
}

/// The ids rows without one are given: the same return recorded again names the same events.
@Suite struct RowEventIDTests {
    func events(_ text: String) throws -> [EventCatalogue.Entry.RowEvent] {
        try EventCatalogue.standard.events(ofRows: CSVRows(Array(text.utf8)), source: "return.csv", type: .trainingCompleted)
    }

    @Test func aRowsIDIsDerivedFromWhatItRecords() throws {
        let header = "occurredOn,workerRef,kind,title,meta.source,id\n"
        let first = try events(header + """
            2024-07-01,W-1,english,ESOL,return A,
            2024-07-01,W-1,english,ESOL,return A,
            2024-07-02,W-1,english,ESOL,return A,
            2024-07-03,W-1,english,ESOL,,00000000-0000-4000-8000-0000000000b1

            """).map { $0.event["id"]?.stringValue ?? "" }
        #expect(Set(first).count == 4, "two identical rows are two events: \(first)")
        #expect(first.prefix(3).allSatisfy { $0.count == 36 && $0.dropFirst(14).first == "8" && "89ab".contains($0.dropFirst(19).first!) })
        #expect(first[3] == "00000000-0000-4000-8000-0000000000b1", "a row's own id is kept")
        // The same return again, its rows in another order and sent by another: the same ids.
        let again = try events(header + """
            2024-07-02,W-1,english,ESOL,return B,
            2024-07-01,W-1,english,ESOL,,
            2024-07-01,W-1,english,ESOL,return B,

            """).map { $0.event["id"]?.stringValue ?? "" }
        #expect(again == [first[2], first[0], first[1]], "\(again)")
        let other = try events(header + "2024-07-01,W-1,english,ESOL Entry 3,,\n").map { $0.event["id"]?.stringValue ?? "" }
        #expect(!first.contains(other[0]), "another fact, another id")
    }

    /// Personal data does not go into an id, which outlives an erasure.
    @Test func personalDataIsNotInTheID() throws {
        let rows = try CSVRows(Array("occurredOn,workerRef,route,nationality,laCode,pii.givenName\n2024-02-01,W-7,selfReferral,PH,E08000025,Marisol\n".utf8))
        let other = try CSVRows(Array("occurredOn,workerRef,route,nationality,laCode,pii.givenName\n2024-02-01,W-7,selfReferral,PH,E08000025,Maria\n".utf8))
        let ids = try [rows, other].map { try EventCatalogue.standard.events(ofRows: $0, source: "r.csv", type: .workerRegistered)[0].event["id"] }
        #expect(ids[0] != nil && ids[0] == ids[1])
    }
}
