import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("careledger, the command line")
struct CommandLineTests {
    typealias F = Fixtures

    @Test func initAppendReadVerifyDigest() throws {
        let cli = try CLIWorkspace().initialised()
        let appended = try cli.expect(0, ["append", "--json"], input: F.ndjson([F.examples["WorkerArrived"]!]))
        let answer = try JSONValue(parsing: appended.standardOutput)
        #expect(answer["events"]?.arrayValue?.first?["seq"] == .integer(9))
        #expect(answer["events"]?.arrayValue?.first?["stream"] == "worker-W-1")
        let read = try cli.expect(0, ["read", "--stream", "worker-W-1"]).standardOutput.split(separator: "\n")
        #expect(read.count == 3)
        #expect(try JSONValue(parsing: String(read[2]))["type"] == "WorkerArrived")
        #expect(try cli.expect(0, ["read", "--from", "4", "--limit", "2"]).standardOutput.split(separator: "\n").count == 2)
        #expect(try cli.expect(0, ["read", "--type", "PartnerRegistered"]).standardOutput.split(separator: "\n").count == 2)
        let none = try cli.expect(0, ["read", "--stream", "worker-W-404"])
        #expect(none.standardOutput.isEmpty && none.standardError.contains("no stored events in stream worker-W-404 (the head is seq 9)"), "\(none.standardError)")
        let verified = try cli.expect(0, ["verify"])
        #expect(verified.standardOutput.contains("Verified 9 events"))
        let digest = try cli.digest()
        #expect(digest.hasPrefix("9:") && digest.count == 66)
        let json = try JSONValue(parsing: try cli.expect(0, ["digest", "--json"]).standardOutput)
        #expect(json["seq"] == .integer(9))
        try cli.expect(0, ["verify", "--digest", digest])
        try cli.expect(1, ["verify", "--digest", "9:" + String(repeating: "0", count: 64)])
        // The empty log's digest, as `digest` printed it before the first append: every log extends it.
        let empty = "0:" + String(repeating: "0", count: 64)
        #expect(try CLIWorkspace().initialised(withWorld: false).digest() == empty)
        try cli.expect(0, ["verify", "--digest", empty])
        #expect(try cli.expect(1, ["verify", "--digest", "0:" + String(repeating: "1", count: 64)]).standardOutput.contains("the empty log, whose hash is 64 zeros"))
        // stats shows the disk the ledger is on, as FileSystemSpace reads it (here the temp folder's).
        let stats = try cli.expect(0, ["stats"]).standardOutput
        #expect(stats.contains("\n  disk       ") && stats.contains(" free of ") && stats.contains("(the file system holding it)"), "\(stats)")
        let disk = try JSONValue(parsing: try cli.expect(0, ["stats", "--json"]).standardOutput)["disk"]
        #expect((disk?["freeBytes"]?.integerValue ?? 0) > 0 && (disk?["totalBytes"]?.integerValue ?? 0) >= (disk?["freeBytes"]?.integerValue ?? 0))
    }

    /// A long verification, rebuild or check of the read models shows how far it is (on a terminal, or with
    /// CARELEDGER_PROGRESS=always as here) on standard error, and nothing where nobody watches.
    @Test func verifyAndRebuildShowProgress() throws {
        let cli = try ReadModelCommandTests.demo(workers: 220, seed: 3)
        let head = try #require(UInt64(try cli.digest().prefix { $0 != ":" }))
        #expect(head > 4096, "enough events for a progress line before the end")
        let always = ["CARELEDGER_PROGRESS": "always"]
        let verified = try cli.expect(0, ["verify"], environment: always)
        #expect(verified.standardError.split(separator: "\n") == [
            "verifying: 4096 of \(head) events (\(4096 * 100 / head)%)", "verifying: \(head) of \(head) events (100%)"])
        #expect(verified.standardOutput.hasPrefix("Verified \(head) events"))
        let fromLater = try cli.expect(0, ["verify", "--from", "1001", "--chain-only"], environment: always).standardError
        #expect(fromLater.hasSuffix("verifying: \(head - 1000) of \(head - 1000) events (100%)\n"), "\(fromLater)")
        #expect(try cli.expect(0, ["verify"]).standardError.isEmpty, "no progress into a pipe unless asked")
        let rebuilt = try cli.expect(0, ["projections", "rebuild"], environment: always)
        #expect(rebuilt.standardError.hasSuffix("rebuilding: seq \(head) of \(head) (100%)\n"), "\(rebuilt.standardError)")
        #expect(try cli.expect(0, ["projections", "rebuild"]).standardError.isEmpty)
        // serve catches the read models up before it listens: a fresh copy's from seq 1.
        try cli.expect(0, ["backup", cli.folder.file("copy")])
        let journal = cli.folder.file("serve.err")
        let server = try RunningServer(data: cli.folder.file("copy"), errors: journal, environment: always)
        _ = server.stop()
        #expect(try String(contentsOfFile: journal, encoding: .utf8).contains("catching up the read models: seq \(head) of \(head) (100%)\n"))
        let compared = try cli.expect(0, ["projections", "verify"], environment: always).standardError
        #expect(compared.hasSuffix("rebuilding to compare: seq \(head) of \(head) (100%)\ncomparing the read models record by record\n"), "\(compared)")
        #expect(try cli.expect(0, ["projections", "verify"]).standardError.isEmpty)
    }

    /// `digest --known-at T`: the head as it stood at T, which the log still extends, whatever
    /// was appended since; before the first event, the empty log's.
    @Test func theDigestAsItStoodAtAnInstant() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        let eighth = try JSONValue(parsing: try cli.expect(0, ["read", "--from", "8", "--limit", "1"]).standardOutput)
        let recorded = try #require(eighth["recordedAt"]?.stringValue)
        let first = try #require(try JSONValue(parsing: try cli.expect(0, ["read", "--limit", "1"]).standardOutput)["recordedAt"]?.stringValue)
        try cli.expect(0, ["append", "-"], input: F.ndjson([F.examples["WorkerArrived"]!]))
        #expect(try cli.digest() != before)
        let then = try cli.expect(0, ["digest", "--known-at", recorded]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(then == before, "the head as it stood when seq 8 was recorded")
        try cli.expect(0, ["verify", "--digest", then])
        let earlier = try cli.expect(0, ["digest", "--known-at", "2001-01-01T00:00:00Z"])
        #expect(earlier.standardOutput == "0:" + String(repeating: "0", count: 64) + "\n")
        #expect(earlier.standardError == "careledger: note: nothing had been recorded by 2001-01-01T00:00:00.000000Z: the log's first event was recorded at \(first), so nothing is known at that instant\n")
        let atFirst = try cli.expect(0, ["digest", "--known-at", first])
        #expect(atFirst.standardOutput.hasPrefix("1:") && atFirst.standardError.isEmpty)
        try cli.expect(2, ["digest", "--known-at", "yesterday"])
        // A read model known at an instant before the log says so beside its empty answer, on
        // standard error, so that JSON and CSV stay as they are.
        for arguments in [["query", "caseload"], ["query", "partners", "--json"], ["timeline", "programme", "--csv"]] {
            let answer = try cli.expect(0, arguments + ["--known-at", "2001-01-01T00:00:00Z"])
            #expect(answer.standardError.contains("nothing had been recorded by 2001-01-01T00:00:00.000000Z"), "\(arguments)")
            #expect(try cli.expect(0, arguments + ["--known-at", first]).standardError.isEmpty, "\(arguments)")
        }
    }

    static let usageErrors: [[String]] = [
        ["read", "--from", "0"], ["read", "--limit", "x"], ["read", "--type", "Nope"],
        ["verify", "--digest", "12"], ["frobnicate"], ["read", "--stream", "not a stream"], ["read", "--limit", "0"],
        ["verify", "--from", "99"], ["query", "retention", "--horizons", "6,3,6"], ["timeline", "case", ""], ["timeline", "worker"],
        ["timeline", "programme", "--period", "0001-01-01..9999-12-31"],  // 119,988 months: more than a century
        ["tokens", "list", "--tokens", "/nonexistent/tokens.json"], ["tokens", "revoke", "x", "--tokens", "/nonexistent/tokens.json"],
    ]

    @Test("usage errors exit 2", arguments: usageErrors)
    func usageErrorsExit2(arguments: [String]) throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        try cli.expect(2, arguments)
    }

    /// `--version` names the release and what decides what it accepts and computes: the
    /// schemas' fingerprint and each read model's version, as an auditor quotes them.
    @Test func theVersionNamesTheSchemasAndReadModels() throws {
        let run = try CareLedgerBinary.run(["--version"])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].wholeMatch(of: #/careledger \d+\.\d+\.\d+/#) != nil, "\(run.standardOutput)")
        #expect(lines[1].wholeMatch(of: #/schemas: 30 files, sha256 [0-9a-f]{64} \(in a checkout: LC_ALL=C cat Schemas\/\*\.json \| sha256sum\)/#) != nil, "\(lines)")
        // The read models' versions are those a ledger's read models are kept at.
        let status = try CLIWorkspace().initialised().expect(0, ["projections", "status"]).standardOutput.split(separator: "\n").dropFirst(2)
        let versions = status.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(versions.count == 4 && lines[2] == "read models: " + versions.joined(separator: ", "), "\(lines[2]) \(status)")
    }

    /// Names typed on the command line that are a slip away from a known one say which.
    @Test func aSlipInANameSaysWhichWasMeant() throws {
        let cli = try CLIWorkspace().initialised()
        #expect(try cli.expect(1, ["timeline", "worker", "w-1"]).standardError.contains("(did you mean W-1? ids are case-sensitive)"))
        #expect(!(try cli.expect(1, ["timeline", "worker", "w-2"]).standardError.contains("did you mean")))
        #expect(try cli.expect(1, ["timeline", "worker", "W-0001"]).standardError.contains("(did you mean W-1? ids are compared as written, leading zeros included)"))
        #expect(try cli.expect(0, ["read", "--stream", "worker-W-01"]).standardError.hasSuffix("; did you mean worker-W-1? ids are compared as written, leading zeros included\n"))
        // An id no event can hold is not found (SPEC 5.4), and says why.
        #expect(try cli.expect(1, ["timeline", "worker", "W/1"]).standardError.contains(#""W/1" is not a worker id (an id is 1 to 64 characters"#))
        #expect(try cli.expect(1, ["timeline", "case", "C 1"]).standardError.contains(#""C 1" is not a case id"#))
        #expect(try cli.expect(0, ["read", "--stream", "worker-w-1"]).standardError.contains("; did you mean worker-W-1? ids are case-sensitive"))
        #expect(try cli.expect(0, ["read", "--stream", "workers-W-1"]).standardError.hasSuffix("; did you mean worker-W-1?\n"))
        #expect(try cli.expect(0, ["read", "--stream", "wroker-w-1"]).standardError.contains("; did you mean worker-W-1? ids are case-sensitive"))
        #expect(try cli.expect(2, ["projections", "rebuild", "caseloads"]).standardError.contains(#"no read model is called "caseloads" (did you mean caseload?)"#))
        #expect(try cli.expect(2, ["query", "retention", "--by", "lacode"]).standardError.contains(#"--by "lacode" is not a grouping (did you mean laCode?)"#))
        #expect(try cli.expect(2, ["query", "partners", "--period", "2024/25"]).standardError.contains(#""2024/25" is not a period (did you mean 2024-25?)"#))
        #expect(try cli.expect(2, ["query", "caseload", "--as-of", "31/03/2025"]).standardError.contains("(did you mean 2025-03-31, reading it day first?)"))
        #expect(try cli.expect(2, ["digest", "--known-at", "2025-04-01 09:00"]).standardError.contains(
            "(did you mean 2025-04-01T09:00:00+01:00, 09:00 in the UK that day, or 2025-04-01T09:00:00Z, 09:00 UTC?)"))
    }

    /// An option value in the ledger's own forms (a seq, a digest, a stream, STREAM=VERSION, a
    /// date, an interval) is refused saying why, not only that it is invalid.
    @Test func aRefusedOptionValueSaysWhy() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let refusals: [([String], String)] = [
            (["read", "--from", "0"], "'--from <seq>': seqs count from 1"),
            (["verify", "--from", "one"], "'--from <seq>': a seq is a whole number from 1 up"),
            (["verify", "--digest", "12:" + String(repeating: "ab", count: 31)], "the hash has 62 hex digits, not 64 (was it cut short when copied?)"),
            (["verify", "--digest", "12:" + String(repeating: "g", count: 64)], #"the hash holds "g", which is not a hex digit"#),
            (["verify", "--digest", "1200"], "it has no colon: write it as SEQ:HASH"),
            (["audit-pack", "verify", "pack", "--digest", "x:ab"], #""x" before the colon is not a seq"#),
            (["read", "--stream", "Worker-W-1"], "a stream is KIND-ID, such as worker-W-00123"),
            (["append", "--expect", "worker-W-1"], #"it has no "=": write STREAM=VERSION"#),
            (["append", "--expect", "worker-W-1=-1"], #"the version after "=" is a whole number from 0 up"#),
            (["tokens", "add", "a", "--role", "staff", "--valid-until", "31/03/2027"], "(did you mean 2027-03-31, reading it day first?)"),
            (["serve", "--verify-every", "1w"], "write a whole number and a unit, s, m, h or d"),
            // A negative number is a value, not an option: "Missing value" was said of these.
            (["read", "--from", "-5"], "'--from <seq>': a seq is a whole number from 1 up"),
            (["read", "--limit", "-1"], "--limit must be at least 1"),
            (["verify", "--from", "-1"], "'--from <seq>': a seq is a whole number from 1 up"),
            (["demo", "--workers", "-3"], "--workers must be from 1 to 10,000,000"),
            (["import", "--check", "--max-problems", "-2", "/dev/null"], "--max-problems must be 1 or more, not -2"),
            (["serve", "--port", "-80"], "--port must be from 0 to 65535"),
            (["serve", "--verify-every", "-5s"], "'--verify-every <interval>': write a whole number and a unit"),
            (["retract", "-5", "--reason", "x"], "-5 is not a seq: seqs count from 1"),
        ]
        for (arguments, reason) in refusals {
            let refused = try cli.expect(2, arguments)
            #expect(refused.standardError.contains(reason), "\(arguments): \(refused.standardError)")
        }
    }

    /// Output that cannot be written whole (redirected to a full disk; here a file-size limit of
    /// 1 KiB stands for one) is a storage error, not exit 0 with the answer cut short; a refusal
    /// that cannot be written still exits with its status, where writing it stopped the process.
    @Test func outputThatCannotBeWrittenIsAnError() throws {
        let cli = try CLIWorkspace().initialised()
        let out = cli.folder.file("out.txt")
        func limited(_ arguments: [String], redirect: String, kibibytes: Int = 1) throws -> CareLedgerBinary.Result {
            try CareLedgerBinary.run(arguments + ["--data", cli.data], environment: ["CARELEDGER_TEST_OUT": out],
                                     launcher: ["/bin/bash", "-c", "trap '' XFSZ; ulimit -f \(kibibytes); exec \"$0\" \"$@\" \(redirect) \"$CARELEDGER_TEST_OUT\""])
        }
        for arguments in [["read"], ["schemas"]] {  // each over 1 KiB
            let cut = try limited(arguments, redirect: ">")
            #expect(cut.status == 5, "\(arguments): \(cut.standardError)")
            #expect(cut.standardError == "careledger: cannot write all of the output to standard output (File too large); what was written is incomplete\n", "\(arguments)")
        }
        #expect(try limited(["digest"], redirect: ">").status == 0, "what fits is written as before")
        let refusal = try limited(["query", "retention", "--by", "nationality"], redirect: "2>")
        let words = try String(contentsOfFile: out, encoding: .utf8)
        #expect(refusal.status == 2 && words.contains("is not a grouping"))
        let unwritten = try limited(["query", "retention", "--by", "nationality"], redirect: "2>", kibibytes: 0)
        #expect(unwritten.status == 2, "a refusal whose words cannot be written exits with its status")
    }

    /// The Quick start's tour (Tools/demo-tour.sh, which Tools/demo.sh runs before it serves)
    /// runs to its end under `set -euo pipefail` with the built binary: it once failed when an
    /// answer it showed the start of outgrew one write (SIGPIPE), unseen by any test.
    @Test func theQuickStartTourRunsToItsEnd() throws {
        let folder = TemporaryFolder("tour")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Tools/demo-tour.sh").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, CareLedgerBinary.path, folder.file("careledger-demo"), folder.file("careledger-demo-master.key")]
        let printed = try process.runPrinting()
        #expect(process.terminationStatus == 0, "\(printed.suffix(2000))")
        for shown in ["Verified ", "Digest to publish: ", "Worker W-00007's timeline (first 12 events):", "caseId   workerRef", "\"pii\":\"[redacted]\"", "1 entry; chain head ",
                      "Retracted seq ", "figures read differently known now than known then.",
                      "Behind them: 0 events recorded since and dated on or before 2025-03-31, 1 retraction of events so dated",
                      "A fact recorded from its fields", "Appended 1 event (seq 8286 to 8286)."] {
            #expect(printed.contains(shown), "the tour shows \(shown)")
        }
    }

    /// The Quick start's main command, given a port another program listens on, says so and how
    /// to choose another before it builds anything, rather than after the build and the tour.
    @Test func theQuickStartDemoRefusesABusyPortAtOnce() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let server = try RunningServer(data: cli.data)
        defer { server.stop() }
        let port = try #require(server.address.split(separator: ":").last.map(String.init))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Tools/demo.sh").standardized.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["CARELEDGER_PORT": port]) { $1 }
        let printed = try process.runPrinting()
        #expect(process.terminationStatus == 2, "\(printed)")
        #expect(printed == "careledger demo: another program is listening on 127.0.0.1:\(port); stop it, or choose another port:\n"
                + "  CARELEDGER_PORT=8081 bash Tools/demo.sh     (0 picks a free one)\n")
    }

    /// append holds its batch in memory; given a file over 16 MiB it still appends, and says
    /// that import reads a file of any size a block at a time.
    @Test func appendingALargeFileSuggestsImport() throws {
        let cli = try CLIWorkspace().initialised()
        let event = Fixtures.ndjson([Fixtures.event("WorkerArrived", ["workerRef": "W-1"])])
        let file = cli.folder.write("large.ndjson", event + String(repeating: "\n", count: 17 << 20))
        let appended = try cli.expect(0, ["append", file])
        #expect(appended.standardError == "careledger: \(file) is 17 MiB, held in memory whole by append: `careledger import \(file)` reads a file of any size a block at a time, with progress\n")
        #expect(!(try cli.expect(0, ["append"], input: event)).standardError.contains("import"), "nothing said of a batch of the usual size")
    }

    /// A spreadsheet's rows sent as events are called what they look like, not "expected true"
    /// (the parser's word for a line beginning with t).
    @Test func aCSVFileIsNamedAsOne() throws {
        let cli = try CLIWorkspace().initialised()
        cli.folder.write("return.csv", "type,workerRef\nWorkerArrived,W-1\n")
        let refused = try cli.expect(3, ["import", cli.folder.file("return.csv")]).standardError
        #expect(refused.contains(#"line 1: not JSON: an event is a JSON object on a line of its own, beginning with {, and this line begins "type,workerRef" (a CSV or spreadsheet row?"#), "\(refused)")
        #expect(try cli.expect(3, ["append"], input: "hello\n").standardError.contains(#"this line begins "hello""#))
        #expect(try cli.digest().hasPrefix("8:"), "nothing was written")
    }

    /// A workbook, a return's CSV or another document given to append or import is refused
    /// whole, saying what it is and which command reads it: not by its first line shown as the
    /// bytes of an archive, with a check suggested that would list the same line.
    @Test func aDocumentThatIsNotEventsIsNamedWithTheCommandThatReadsIt() throws {
        let cli = try CLIWorkspace().initialised()
        let workbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/provider-return.xlsx").standardized.path
        let rows = cli.folder.write("leavers.csv", "occurredOn,workerRef,spellId,reason\n2024-06-30,W-1,S-1,retired\n")
        let page = cli.folder.write("export.xls", "<html><body><table><tr><td>occurredOn</td></tr></table></body></html>")
        for command in [["import"], ["import", "--check"], ["append"], ["append", "--check"]] {
            let xlsx = try cli.expect(3, command + [workbook]).standardError
            #expect(xlsx.contains("provider-return.xlsx is a workbook (.xlsx, .ods, .fods, Excel 2003 XML or a web page's tables), not events written as NDJSON: `careledger record TYPE --rows ")
                    && !xlsx.contains("PK") && !xlsx.contains("--check"), "\(command): \(xlsx)")
            #expect(try cli.expect(3, command + [rows]).standardError.contains("leavers.csv is a spreadsheet's rows (its header names occurredOn), not events written as NDJSON"))
            #expect(try cli.expect(3, command + [page]).standardError.contains("export.xls is a web page, whose tables are read as a workbook's sheets, not events written as NDJSON"))
        }
        let piped = try cli.expect(3, ["append", "-"], input: "occurredOn\tworkerRef\n2024-06-30\tW-1\n").standardError
        #expect(piped.contains("standard input is a spreadsheet's rows") && piped.contains("careledger record TYPE --rows -`"), "\(piped)")
        #expect(try cli.digest().hasPrefix("8:"), "nothing was written")
    }

    @Test func serveRefusesAPortOutOfRangeBeforeOpeningAnything() throws {
        // No ledger here: a port that slipped through would fail later, with another status.
        let result = try CLIWorkspace().run(["serve", "--port", "99999"])
        #expect(result.status == 2 && result.standardError.contains("--port must be from 0 to 65535"), "\(result.standardError)")
    }

    @Test func aLeadingByteOrderMarkIsIgnored() throws {
        // Spreadsheet exports and some Windows tools begin a UTF-8 file with EF BB BF.
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let events = Fixtures.ndjson(Fixtures.worldWithIDs)
        let marked = "\u{FEFF}" + events
        let file = cli.folder.write("marked.ndjson", marked)
        #expect(try cli.expect(0, ["import", file]).standardOutput.contains("Imported \(Fixtures.worldWithIDs.count) events"))
        // The same events again, through append's file and standard input: already stored, so no-ops.
        #expect(try cli.expect(0, ["append", file]).standardOutput.contains("already stored"))
        #expect(try cli.expect(0, ["append", "-"], input: marked).standardOutput.contains("already stored"))
    }

    /// A return of hundreds of events is not listed position by position: the first few, how many
    /// more, and those already stored counted in the first line.
    @Test func aLargeBatchListsItsFirstPositionsAndCountsTheRest() throws {
        let cli = try CLIWorkspace().initialised()
        let arrivals = (1...24).map { n in
            Fixtures.event("WorkerArrived", ["workerRef": "W-1"], id: "00000000-0000-4000-8000-0000000b00\(n < 10 ? "0" : "")\(n)")
        }
        let batch = Fixtures.ndjson(arrivals)
        let first = try cli.expect(0, ["append", "-"], input: Fixtures.ndjson(Array(arrivals.prefix(3)))).standardOutput
        #expect(first.contains("00000000-0000-4000-8000-0000000b0003") && !first.contains("more"), "a small batch is listed whole: \(first)")
        let said = try cli.expect(0, ["append", "-"], input: batch).standardOutput
        #expect(said.hasPrefix("Appended 21 events (seq 12 to 32). 3 events were already stored.\n"), "\(said)")
        #expect(said.contains("… and 14 more (--json lists every position)") && said.contains("0000000b0010") && !said.contains("0000000b0011"), "\(said)")
        let json = try JSONValue(parsing: try cli.expect(0, ["append", "--json", "-"], input: batch).standardOutput)
        #expect(json["events"]?.arrayValue?.count == 24)
    }

    /// `import -` reads standard input from where it stands: a file given as standard input after
    /// a script has read its first line is imported from the second (a map of the file would
    /// start at its beginning, so standard input is never mapped).
    @Test func importFromStandardInputStartsWhereTheInputStands() throws {
        let cli = try CLIWorkspace().initialised()
        let events = F.ndjson([F.examples["WorkerArrived"]!, F.examples["CareCertificateAwarded"]!])
        let file = cli.folder.write("with-header.ndjson", "not an event: a header a script reads first\n" + events)
        let input = try #require(FileHandle(forReadingAtPath: file))
        _ = try input.read(upToCount: "not an event: a header a script reads first\n".utf8.count)
        let process = CareLedgerBinary.start(["import", "-", "--data", cli.data])
        process.standardInput = input
        let printed = try process.runPrinting()
        #expect(process.terminationStatus == 0, "\(printed)")
        #expect(printed.contains("Imported 2 events"), "\(printed)")
    }

    /// A file saved as Windows-1252 or Latin-1 (a spreadsheet's export, where `é` is one byte) is
    /// refused with a line, a column and what to do about it.
    @Test func aFileThatIsNotUTF8SaysHowToMendIt() throws {
        let cli = try CLIWorkspace().initialised()
        var bytes = Array(#"{"type":"PartnerRegistered","schemaVersion":1,"occurredOn":"2024-05-01","data":{"partnerId":"PT-7","name":"Caf"#.utf8)
        bytes += [0xE9] + Array(#"","kind":"hub"}}"#.utf8) + [0x0A]
        let file = cli.folder.file("latin1.ndjson")
        #expect(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
        let refused = try cli.expect(3, ["import", file])
        #expect(refused.standardError.contains("line 1: not JSON: the text is not valid UTF-8; JSON is UTF-8, so save or send it as UTF-8, not Windows-1252 or Latin-1 (column 111)"), "\(refused.standardError)")
    }

    @Test func aFileThatCannotBeReadIsAUsageErrorNamingIt() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        let missing = cli.folder.file("missing.ndjson")
        for command in ["append", "import"] {
            let result = try cli.expect(2, [command, missing])
            #expect(result.standardError.contains("cannot read \(missing)"), "\(result.standardError)")
            #expect(!result.standardError.contains("Usage:"), "a plain message, not the root command's usage: \(result.standardError)")
        }
        #expect(try cli.digest() == before)
    }

    @Test func rejectedInputExits3NamingLinePointerAndRuleAndWritesNothing() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        let bad = F.ndjson([F.examples["WorkerArrived"]!, F.setting(F.examples["EmploymentStarted"]!, data: "contractType", to: "gig")])
        let result = try cli.expect(3, ["append"], input: bad)
        #expect(result.standardError.contains("line 2: /data/contractType: must be one of"))
        #expect(result.standardError.contains("Nothing was written"))
        #expect(try cli.digest() == before)
        let file = cli.folder.write("bad.ndjson", bad)
        try cli.expect(3, ["import", file])
        #expect(try cli.digest() == before)
    }

    @Test func conflictsExit4() throws {
        let cli = try CLIWorkspace().initialised()
        let result = try cli.expect(4, ["append", "--expect", "worker-W-1=5"], input: F.ndjson([F.examples["WorkerArrived"]!]))
        #expect(result.standardError.contains("stream worker-W-1: expected version 5, actual 2"))
        let batch = #"{"events":[\#(F.examples["WorkerArrived"]!.compactText)],"expectedVersions":{"worker-W-1":1}}"#
        #expect(try cli.expect(4, ["append"], input: batch).standardError.contains("expected version 1, actual 2"))
        try cli.expect(0, ["append", "--expect", "worker-W-1=2", "--expect", "case-C-7=0"], input: F.ndjson([F.examples["WorkerArrived"]!]))
        let reused = F.setting(F.examples["WorkerArrived"]!, top: "id", to: "00000000-0000-4000-8000-000000000001")
        #expect(try cli.expect(4, ["append"], input: F.ndjson([reused])).standardError.contains("different content"))
    }

    @Test func helpTeachesByExample() throws {
        let cli = CLIWorkspace()
        let help = try cli.expect(0, ["--help"])
        #expect(help.standardOutput.contains("careledger verify --data ./ledger --digest 1200:"))
        #expect(try cli.expect(0, ["append", "--help"]).standardOutput.contains("--expect worker-W-00123=4"))
    }

    /// Every example fits on its line in every command's help: the argument parser wraps at 80
    /// columns, and an example cut in two leaves its tail at the margin, where it reads as prose
    /// (`# the kept read models against a` / `rebuild`) or breaks the command when copied.
    @Test func everyHelpExampleFitsOnItsLine() throws {
        let cli = CLIWorkspace()
        var commands: [[String]] = [[]]
        var checked = 0
        while let command = commands.popLast() {
            let lines = try cli.expect(0, command + ["--help"]).standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where ["  careledger ", "  export ", "  curl "].contains(where: line.hasPrefix) {
                guard index + 1 < lines.count else { continue }
                let next = lines[index + 1]
                #expect(next.isEmpty || next.hasPrefix(" "), "careledger \(command.joined(separator: " ")) --help wraps an example: \(line) / \(next)")
                checked += 1
            }
            // Each subcommand, from the SUBCOMMANDS section: a name indented by two spaces.
            if let start = lines.firstIndex(of: "SUBCOMMANDS:") {
                for line in lines[(start + 1)...] {
                    guard line.hasPrefix("  "), !line.hasPrefix("   ") else { if line.isEmpty { break } else { continue } }
                    let name = String(line.dropFirst(2).prefix { $0 != " " })
                    if name != "help" { commands.append(command + [name]) }
                }
            }
        }
        #expect(checked >= 40, "the walk found the examples (\(checked))")
    }

    /// A folder with no ledger is a usage error (exit 2), as a file in the folder's way is: the
    /// command named the wrong place. Exit 5 is kept for storage that failed, which a script
    /// must tell apart (a full disk pages an operator; a mistyped --data does not).
    @Test func aMissingLedgerIsAUsageError() throws {
        let cli = CLIWorkspace()
        #expect(try cli.expect(2, ["verify"]).standardError.contains("careledger init"))
    }

    /// `--data` naming a file is said in those words (Foundation's own error was "NSCocoaErrorDomain
    /// error 512"), and the file is left as it was.
    @Test func aDataFolderThatIsAFileIsNamedAsOne() throws {
        let cli = CLIWorkspace()
        let file = cli.folder.file("notes.txt")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: file))
        for arguments in [["init"], ["verify"], ["stats"]] {
            let refused = try CareLedgerBinary.run(arguments + ["--data", file])
            #expect(refused.status == 2 && refused.standardError.contains("\(file) is a file, not a folder"), "\(arguments): \(refused.standardError)")
        }
        let under = try CareLedgerBinary.run(["init", "--data", file + "/ledger-data"])
        #expect(under.status == 2 && under.standardError.contains("\(file) is a file, so there can be no folder \(file)/ledger-data under it"), "\(under.standardError)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
    }

    /// One-letter names in the working folder: Foundation's path functions trapped on them, so
    /// `backup b` crashed after copying, and `--data l` before opening.
    @Test func oneLetterNamesInTheWorkingFolder() throws {
        let here = TemporaryFolder("one-letter")
        @discardableResult func run(_ arguments: [String]) throws -> CareLedgerBinary.Result {
            let result = try CareLedgerBinary.run(arguments, workingFolder: here.path)
            #expect(result.status == 0, "careledger \(arguments.joined(separator: " ")): \(result.standardError)")
            return result
        }
        try run(["init", "--data", "l"])
        try run(["demo", "--data", "l", "--workers", "5"])
        try run(["keys", "init", "--data", "l", "--master-key", "k"])
        try run(["backup", "b", "--data", "l"])
        #expect(try run(["verify", "--data", "b"]).standardOutput.hasPrefix("Verified"))
        try run(["audit-pack", "--period", "2024-25", "--out", "p", "--data", "l"])
        try run(["audit-pack", "verify", "p"])
        #expect(try CareLedgerBinary.run(["stats", "--data", "m"], workingFolder: here.path).standardError.contains("no ledger in m"))
    }

    /// An empty name is no folder: `--data "$DIR"` with DIR unset once made the ledger in the
    /// working folder, and `CARELEDGER_DATA=` (set to nothing) read it there.
    @Test func anEmptyDataFolderNameIsNoFolder() throws {
        let here = TemporaryFolder("empty-name")
        let refused = try CareLedgerBinary.run(["init", "--data", ""], workingFolder: here.path)
        #expect(refused.status == 2 && refused.standardError.contains("--data was given an empty name"), "\(refused.standardError)")
        #expect(try CareLedgerBinary.run(["stats", "--data", "l", "--master-key", ""], workingFolder: here.path).standardError.contains("--master-key was given an empty name"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: here.path).isEmpty, "nothing made in the working folder")
        let unset = try CareLedgerBinary.run(["init"], environment: ["CARELEDGER_DATA": "", "CARELEDGER_MASTER_KEY_FILE": ""], workingFolder: here.path)
        #expect(unset.status == 0 && unset.standardOutput.contains("Created an empty ledger in ./careledger-data"), "the default, as if unset: \(unset.standardOutput) \(unset.standardError)")
    }

    /// A command CareLedger suggests can be copied whatever the path: quoted for the shell.
    @Test func suggestedCommandsQuoteTheirPaths() throws {
        let here = TemporaryFolder("quoted")
        let missing = try CareLedgerBinary.run(["stats", "--data", "Programme data"], workingFolder: here.path)
        #expect(missing.standardError.contains("create one with `careledger init --data 'Programme data'`"), "\(missing.standardError)")
        try CareLedgerBinary.run(["init", "--data", "l"], workingFolder: here.path)
        try CareLedgerBinary.run(["demo", "--data", "l", "--workers", "5"], workingFolder: here.path)
        let pack = try CareLedgerBinary.run(["audit-pack", "--period", "2024-25", "--out", "Board's pack", "--data", "l"], workingFolder: here.path)
        #expect(pack.standardOutput.contains(#"careledger audit-pack verify 'Board'\''s pack'"#), "\(pack.standardOutput) \(pack.standardError)")
        #expect(try CareLedgerBinary.run(["audit-pack", "verify", "Board's pack"], workingFolder: here.path).status == 0)
    }

    @Test func theDataFolderComesFromTheEnvironmentToo() throws {
        let cli = try CLIWorkspace().initialised()
        let result = try CareLedgerBinary.run(["digest"], environment: ["CARELEDGER_DATA": cli.data])
        #expect(result.status == 0 && result.standardOutput.hasPrefix("8:"))
    }
}

@Suite("careledger demo")
struct DemoCommandTests {
    @Test func writesIntoAnEmptyLedgerOnly() throws {
        let cli = CLIWorkspace()
        let written = try cli.expect(0, ["demo", "--workers", "30", "--seed", "4"])
        #expect(written.standardOutput.contains("Wrote a demo programme of 30 workers"))
        try cli.expect(0, ["verify"])
        let refused = try cli.expect(2, ["demo", "--workers", "30"]).standardError
        #expect(refused.contains("only into an empty ledger") && !refused.contains("Usage:"), "\(refused)")
        let printed = try cli.expect(0, ["demo", "--workers", "30", "--seed", "4", "--ndjson"]).standardOutput
        #expect(printed.split(separator: "\n").count == Int(try cli.digest().split(separator: ":")[0]))
    }

    /// A temporary folder that cannot take the generated events is named, with a storage error,
    /// and nothing is written; the events file is removed after a run, however it ends.
    @Test func saysWhereItCouldNotWriteItsEvents() throws {
        let cli = CLIWorkspace()
        let notAFolder = cli.folder.write("not-a-folder", "")
        let failed = try CareLedgerBinary.run(["demo", "--workers", "5", "--data", cli.data], environment: ["TMPDIR": notAFolder])
        #expect(failed.status == 5 && failed.standardError.contains("cannot write the demo's events to \(notAFolder)/"), "\(failed.standardError)")
        #expect(try cli.digest().hasPrefix("0:"))
        let temporary = TemporaryFolder("demo-tmp")
        try #require(try CareLedgerBinary.run(["demo", "--workers", "5", "--data", cli.data], environment: ["TMPDIR": temporary.path]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
    }
}
