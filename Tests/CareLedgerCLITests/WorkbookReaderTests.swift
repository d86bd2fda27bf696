import CareLedger
import CareLedgerServer
import Foundation
import LedgerTestSupport
@testable import SpreadsheetRows
import Testing

/// The server reads a posted workbook in a child process (`careledger workbook-sheet`), so that
/// a file that stops the reader stops that child, not the server: Foundation's XML parser
/// crashed the whole process on three damaged files before each was fixed.
@Suite struct WorkbookReaderTests {
    static let workbook = RecordCommandTests.workbooks[0]

    /// A reader that stops on the file, as the XML parser did, given as `--workbook-reader`:
    /// the post is refused naming the signal, by the events route and by `/record`'s file
    /// alike; nothing is written; the server answers the next request, and tells its operator
    /// (a line on standard error, a count in `/metrics`).
    @Test func aReaderThatStopsRefusesTheFileAndTheServerServesOn() async throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let crashing = try Self.script(in: cli.folder, named: "crashing-reader", "cat > /dev/null; kill -SEGV $$")
        let errors = cli.folder.file("server-errors")
        let server = try RunningServer(data: cli.data, arguments: ["--workbook-reader", crashing], errors: errors)
        defer { server.stop() }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.workbook)))
        let posted = try await server.request("/v1/events?type=WorkerArrived", bytes: bytes,
                                              headers: ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        #expect(posted.status == 400, "\(posted.status) \(posted.body)")
        #expect(posted.body.contains("the workbook could not be read: its reader stopped on it (signal 11, Segmentation fault)"), "\(posted.body)")
        let boundary = "----careledgerReaderBoundary3KQ"
        let page = try await server.request("/record", bytes: RecordPageTests.multipart([("type", "WorkerArrived"), ("action", "check"), ("rows", "")],
                                                                                       file: ("provider-return.xlsx", bytes), boundary: boundary),
                                            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(page.status == 400 && page.body.contains("provider-return.xlsx could not be read: its reader stopped on it (signal 11"), "\(page.status) \(page.body)")
        #expect(try await server.request("/healthz").status == 200)
        #expect(try cli.digest() == head)
        let metrics = try await server.request("/metrics")
        #expect(metrics.body.contains("careledger_workbook_readers_stopped_total 2"), "\(metrics.body)")
        let log = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(log.contains("careledger: the workbook reader (\(crashing) workbook-sheet) ended without an answer: the workbook could not be read: its reader stopped on it (signal 11"), "\(log)")
    }

    /// A reader the kernel stopped at its CPU limit is said to have been stopped for that, with
    /// the limit; one that cannot be started (gone since the server started) is the server's
    /// fault (503), not the file's; one that is not there at all stops `serve` from starting.
    @Test func aReaderStoppedAtItsLimitOrNeverStartedIsSaidSo() async throws {
        let cli = try CLIWorkspace().initialised()
        let head = try cli.digest()
        let overworked = try Self.script(in: cli.folder, named: "overworked-reader", "cat > /dev/null; kill -XCPU $$")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.workbook)))
        let headers = ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
        do {
            let server = try RunningServer(data: cli.data, arguments: ["--workbook-reader", overworked])
            defer { server.stop() }
            let posted = try await server.request("/v1/events?type=WorkerArrived", bytes: bytes, headers: headers)
            #expect(posted.status == 400 && posted.body.contains("its reader was stopped after \(SheetReader.Limits.cpuSeconds) s of work"),
                    "\(posted.status) \(posted.body)")
        }
        do {
            let removed = try Self.script(in: cli.folder, named: "removed-reader", "exec cat")
            let server = try RunningServer(data: cli.data, arguments: ["--workbook-reader", removed])
            defer { server.stop() }
            try FileManager.default.removeItem(atPath: removed)
            let posted = try await server.request("/v1/events?type=WorkerArrived", bytes: bytes, headers: headers)
            #expect(posted.status == 503 && posted.body.contains("could not start the reader of workbooks"), "\(posted.status) \(posted.body)")
            #expect(try await server.request("/healthz").status == 200)
        }
        #expect(try cli.digest() == head)
        let missing = cli.folder.file("no-such-reader")
        for (reader, why) in [(missing, "there is no such file"), (cli.folder.path, "it is a folder")] {
            let refused = try cli.expect(2, ["serve", "--data", cli.data, "--port", "0", "--workbook-reader", reader])
            #expect(refused.standardError.hasPrefix("careledger: --workbook-reader \(reader) is not a program to run: \(why);"), "\(refused.standardError)")
        }
    }

    /// `careledger workbook-sheet` answers with the sheet exactly as it is read in process, for
    /// every fixture; and with the refusal, its kind and its row, for one it cannot take.
    @Test func theChildAnswersWhatTheReaderReadsInProcess() throws {
        for path in RecordCommandTests.workbooks {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let answer = try Self.reading(path, ["--source", "return"])
            #expect(answer.status == 0, "\(path): \(answer.standardError)")
            let child = try SheetMessage.sheet(from: answer.standardOutputBytes)
            let own = try Workbook.sheet(of: bytes, source: "return")
            #expect(child.name == own.name && child.names == own.names, "\(path)")
            #expect(child.rows.header == own.rows.header && child.rows.rows == own.rows.rows, "\(path)")
        }
        let missing = try Self.reading(Self.workbook, ["--source", "return.xlsx", "--sheet", "Leavers"])
        #expect {
            try SheetMessage.sheet(from: missing.standardOutputBytes)
        } throws: { error in
            (error as? LedgerError)?.code == .usage && (error as? LedgerError)?.rule.hasPrefix("return.xlsx has no sheet named \"Leavers\"") == true
        }
    }

    /// A message carries every character a cell may hold, and a refusal's kind, row and
    /// pointer; bytes that are no message (a reader cut off part-way) are told apart.
    @Test func aMessageKeepsEveryCellAndRefusal() throws {
        let header = CSVRows.Row(line: 3, fields: ["occurredOn", "workerRef", "notes"])
        let rows = [CSVRows.Row(line: 4, fields: ["2025-01-02", "W-1", "a \"quoted\", comma\r\nand a break"]),
                    CSVRows.Row(line: 9, fields: ["", "Zoë 👩🏽‍⚕️", "\u{0}\u{1F}\\/"])]
        let sheet = try SheetMessage.sheet(from: SheetMessage.bytes(of: Workbook.Sheet(name: "Leavers \"Q1\"", names: ["Starters", "Leavers \"Q1\""],
                                                                                       rows: CSVRows(header: header, rows: rows))))
        #expect(sheet.name == "Leavers \"Q1\"" && sheet.names == ["Starters", "Leavers \"Q1\""])
        #expect(sheet.rows.header == header && sheet.rows.rows == rows)
        for refusal in [LedgerError(.rejected, "this row has cells beyond the 2 columns that row 1 names", location: .line(7)),
                        LedgerError(.tooLarge, "too large", location: .index(2), pointer: "/data/x"), LedgerError(.usage, "no sheet")] {
            #expect {
                try SheetMessage.sheet(from: SheetMessage.bytes(of: refusal))
            } throws: { error in
                guard let error = error as? LedgerError else { return false }
                return error.code == refusal.code && error.location == refusal.location && error.pointer == refusal.pointer && error.rule == refusal.rule
            }
        }
        let whole = SheetMessage.bytes(of: Workbook.Sheet(name: "A", names: ["A"], rows: CSVRows(header: header, rows: rows)))
        for broken in [Array(whole.dropLast(3)), Array("{}".utf8), Array("{\"error\":{\"code\":\"panic\",\"rule\":\"x\"}}".utf8),
                       Array("{\"sheet\":{\"header\":[0,\"a\"],\"name\":\"A\",\"names\":[],\"rows\":[]}}".utf8)] {
            #expect(throws: SheetMessage.Unreadable.self) { try SheetMessage.sheet(from: broken) }
        }
    }

    /// `careledger workbook-sheet ARGUMENTS` with the file at `path` on its standard input.
    static func reading(_ path: String, _ arguments: [String]) throws -> CareLedgerBinary.Result {
        try CareLedgerBinary.run(["workbook-sheet"] + arguments, environment: ["CARELEDGER_TEST_INPUT": path],
                                 launcher: ["/bin/sh", "-c", "exec \"$@\" < \"$CARELEDGER_TEST_INPUT\"", "sh"])
    }

    /// An executable shell script in `folder`, run as the workbook reader.
    static func script(in folder: TemporaryFolder, named name: String, _ body: String) throws -> String {
        let path = folder.file(name)
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }
}
