import Foundation
import LedgerJSON
import ZIPFoundation
import LedgerTestSupport
import Testing

/// `careledger schemas`: the catalogue for people who write events by hand.
@Suite struct SchemasCommandTests {
    /// `schemas TYPE --csv` is a spreadsheet to fill in: its columns are those `record TYPE
    /// --rows` reads, and its example row reads back, for every type, as the example event.
    /// An event as shown without its `id`: a row's id is derived from its content, and the
    /// example has none.
    func withoutID(_ line: some StringProtocol) throws -> [UInt8] {
        guard case .object(let members) = try JSONValue(parsing: String(line)) else { return [] }
        return JSONValue.object(members.filter { $0.0 != "id" }).canonicalBytes
    }

    @Test func everyTypesSpreadsheetReadsBackAsItsExample() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let list = try cli.expect(0, ["schemas"]).standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix { !$0.isEmpty }
        let types = list.map { String($0.prefix { $0 != " " }) }
        #expect(types.count == 30)
        var examples: [JSONValue] = []
        for type in types {
            let template = try cli.expect(0, ["schemas", type, "--csv"]).standardOutput
            let lines = template.split(separator: "\r\n")
            #expect(lines.count == 2 && lines[0].hasPrefix("occurredOn,"), "\(type): \(template)")
            let shown = try cli.expect(0, ["record", type, "--rows", cli.folder.write("\(type).csv", template), "--show"]).standardOutput
            let example = try #require(try cli.expect(0, ["schemas", type]).standardOutput.split(separator: "\n").last.map(String.init))
            #expect(try withoutID(shown) == JSONValue(parsing: example).canonicalBytes, "\(type): \(shown) against \(example)")
            examples.append(try JSONValue(parsing: example))
        }
        // One sheet of every type (a type column, the union of their columns, blank where a type
        // has no such field) reads back, without a type named, as every type's example in turn.
        let sheet = try cli.expect(0, ["schemas"] + types + ["--csv"]).standardOutput
        #expect(sheet.hasPrefix("type,occurredOn,"), "\(sheet)")
        let shownAll = try cli.expect(0, ["record", "--rows", cli.folder.write("all.csv", sheet), "--show"]).standardOutput.split(separator: "\n")
        #expect(try shownAll.map(withoutID) == examples.map(\.canonicalBytes))
        // The same sheet as a workbook to send out reads back the same, its columns formatted
        // by what they hold and each field of listed values offered from the sheet Choices.
        let workbook = try cli.expect(0, ["schemas"] + types + ["--xlsx"]).standardOutputBytes
        let workbookFile = cli.folder.file("all.xlsx")
        try Data(workbook).write(to: URL(fileURLWithPath: workbookFile))
        let fromWorkbook = try cli.expect(0, ["record", "--rows", workbookFile, "--show"])
        #expect(fromWorkbook.standardError.isEmpty, "its sheet Choices goes unsaid: \(fromWorkbook.standardError)")
        let shownFromWorkbook = fromWorkbook.standardOutput.split(separator: "\n")
        #expect(try shownFromWorkbook.map(withoutID) == examples.map(\.canonicalBytes))
        let parts = try Archive(data: Data(workbook), accessMode: .read)
        func text(_ path: String) throws -> String {
            var data = Data()
            _ = try parts.extract(try #require(parts[path])) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let returnSheet = try text("xl/worksheets/sheet1.xml"), choices = try text("xl/worksheets/sheet2.xml")
        #expect(returnSheet.contains(#"<dataValidation type="date" operator="greaterThan" allowBlank="1" showErrorMessage="1" errorTitle="A date" error="occurredOn is a date"#))
        #expect(returnSheet.contains(#"error="type takes one of the values listed under it on the sheet Choices." sqref="A2:A1048576"><formula1>Choices!$A$2:$A$31</formula1>"#))
        #expect(choices.contains(">movedToHealth<") && choices.contains(">WorkerArrived<"))
        // And as OpenDocument, the format LibreOffice saves and the UK's open standards name:
        // it reads back the same, with the same checks, written as LibreOffice writes them.
        let openDocument = try cli.expect(0, ["schemas"] + types + ["--ods"]).standardOutputBytes
        let openDocumentFile = cli.folder.file("all.ods")
        try Data(openDocument).write(to: URL(fileURLWithPath: openDocumentFile))
        let fromOpenDocument = try cli.expect(0, ["record", "--rows", openDocumentFile, "--show"])
        #expect(fromOpenDocument.standardError.isEmpty, "its sheet Choices goes unsaid: \(fromOpenDocument.standardError)")
        #expect(try fromOpenDocument.standardOutput.split(separator: "\n").map(withoutID) == examples.map(\.canonicalBytes))
        #expect(openDocument.starts(with: Array("PK\u{3}\u{4}".utf8)) && Array(openDocument[30..<84]) == Array("mimetypeapplication/vnd.oasis.opendocument.spreadsheet".utf8),
                "its mimetype first, stored, so that it is known by its first bytes")
        let odsParts = try Archive(data: Data(openDocument), accessMode: .read)
        var contentData = Data()
        _ = try odsParts.extract(try #require(odsParts["content.xml"])) { contentData.append($0) }
        let content = String(decoding: contentData, as: UTF8.self)
        #expect(content.contains(#"<table:content-validation table:name="check-A" table:condition="of:cell-content-is-in-list([$Choices.$A$2:.$A$31])" table:allow-empty-cell="true" table:display-list="unsorted""#), "\(content.prefix(3_000))")
        #expect(content.contains(#"table:condition="of:cell-content-is-date() and cell-content()&gt;1""#) && content.contains(#"<table:table-row table:number-rows-repeated="1048545">"#))
        // Its header frozen: the view settings' set is named ooo:view-settings, which LibreOffice
        // resolves as a qualified name, so the ooo namespace must be declared (without it, 7.4
        // froze nothing: Tools/fixtures/check-frozen-header.py).
        var settingsData = Data()
        _ = try odsParts.extract(try #require(odsParts["settings.xml"])) { settingsData.append($0) }
        let settings = String(decoding: settingsData, as: UTF8.self)
        #expect(settings.contains(#"xmlns:ooo="http://openoffice.org/2004/office""#) && settings.contains(#"<config:config-item-set config:name="ooo:view-settings">"#)
                && settings.contains(#"<config:config-item config:name="VerticalSplitMode" config:type="short">2</config:config-item>"#), "\(settings)")
        #expect(try cli.expect(2, ["schemas", "--ods"]).standardError.contains("--ods is for a type or several"))
        #expect(try cli.expect(2, ["schemas", "WorkerArrived", "--ods", "--xlsx"]).standardError.contains("choose one of --json, --csv, --xlsx and --ods"))
        #expect(try cli.expect(2, ["schemas", "--xlsx"]).standardError.contains("--xlsx is for a type or several"))
        try cli.expect(2, ["schemas", "JobOfferMade", "WorkerArrived"])
        #expect(try cli.expect(0, ["schemas", "JobOfferMade", "--csv"]).standardOutput.hasPrefix(
            "occurredOn,workerRef,offerId,providerId,soc,jobRole,weeklyHours,hourlyPayPence,channel,repaymentClause.amountPence,repaymentClause.months,"))
        try cli.expect(2, ["schemas", "--csv"])
        try cli.expect(2, ["schemas", "JobOfferMade", "--csv", "--json"])
    }

    /// A workbook is not written to a terminal, where it would be noise: run under a terminal
    /// (util-linux's `script` gives it one), `--xlsx` says to redirect it to a file.
    @Test func aWorkbookIsNotWrittenToATerminal() throws {
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        script.arguments = ["-qc", "'\(CareLedgerBinary.path)' schemas WorkerArrived --xlsx", "/dev/null"]
        let output = Pipe()
        script.standardOutput = output
        script.standardInput = FileHandle.nullDevice
        try script.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        #expect(printed.contains("--xlsx writes a workbook, which a terminal cannot show: redirect it to a file, as in careledger schemas WorkerArrived --xlsx > return.xlsx"), "\(printed)")
        #expect(!printed.contains("PK"), "no workbook was written")
    }

    @Test func listsEveryTypeAndDescribesOneWithAnEventThatAppends() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let list = try cli.expect(0, ["schemas"]).standardOutput
        let rows = list.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix { !$0.isEmpty }  // the header, then a row a type
        #expect(rows.count == 30, "\(list)")
        #expect(rows.contains { $0.hasPrefix("WorkerRegistered ") && $0.contains("worker-{workerRef}") && $0.hasSuffix("workerRef, route, nationality, laCode, yearOfEntry?, pii?") })

        let one = try cli.expect(0, ["schemas", "WorkerRegistered"]).standardOutput
        #expect(one.contains("  route        required  one of overseasRecruitment, displaced, selfReferral, partnerReferral"), "\(one)")
        #expect(one.contains("  pii          optional  an object of givenName?, familyName?"))
        // The event it offers to start from is valid as it stands: here, a worker needs nothing else.
        let example = try #require(one.split(separator: "\n").last.map(String.init))
        try cli.expect(0, ["append", "-"], input: example + "\n")
        #expect(try cli.digest().hasPrefix("1:"))

        let file = try cli.expect(0, ["schemas", "SupportProvided", "--json"]).standardOutput
        let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Schemas").standardized.path
        let onDisk = try String(contentsOfFile: schemaFolder + "/SupportProvided.v1.json", encoding: .utf8)
        #expect(file.trimmingCharacters(in: .whitespacesAndNewlines) == onDisk.trimmingCharacters(in: .whitespacesAndNewlines))
        let all = try JSONValue(parsing: try cli.expect(0, ["schemas", "--json"]).standardOutput)
        #expect(all["schemas"]?.arrayValue?.count == 30)
        #expect(all["schemas"]?[0]?["schema"]?["x-stream"]?.stringValue == all["schemas"]?[0]?["stream"]?.stringValue)
        try cli.expect(2, ["schemas", "Nope"])
    }

    /// The CLI's JSON is the HTTP route's (SPEC 8's `GET /v1/schemas`).
    @Test func theJSONIsWhatTheServerServes() async throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let served = try JSONValue(parsing: try await server.request("/v1/schemas").body)
        #expect(try JSONValue(parsing: try cli.expect(0, ["schemas", "--json"]).standardOutput) == served)
    }

    /// A type named twice is one type: one sheet of its columns, not a type column choosing
    /// between two of the same (and, over HTTP, a file name as long as the list).
    @Test func aTypeNamedTwiceIsOneSheet() async throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let once = try cli.expect(0, ["schemas", "WorkerArrived", "--csv"]).standardOutput
        #expect(try cli.expect(0, ["schemas", "WorkerArrived", "WorkerArrived", "--csv"]).standardOutput == once)
        let served = try await server.request("/v1/schemas?format=csv&types=WorkerArrived,WorkerArrived,WorkerArrived")
        #expect(served.body == once && served.contentDisposition?.contains("WorkerArrived-WorkerArrived") == false, "\(served.body) \(served.contentDisposition ?? "")")
    }
}
