import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `query`, `timeline` and `projections` through the real binary.
@Suite struct ReadModelCommandTests {
    /// A demo ledger of `workers` workers.
    static func demo(workers: Int, seed: Int) throws -> CLIWorkspace {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        try cli.expect(0, ["demo", "--workers", String(workers), "--seed", String(seed)])
        return cli
    }

    /// A CSV for a spreadsheet has every figure the JSON has: the partners' names, and each
    /// breakdown (cases closed by outcome, support episodes by kind, …) a column per value, which
    /// add up to the total beside them; a person's table keeps one column for each.
    @Test func csvHasEveryBreakdownOfTheJSONAsColumnsOfItsOwn() throws {
        let cli = try Self.demo(workers: 120, seed: 3)
        /// The CSV's rows as header → cell.
        func records(_ arguments: [String]) throws -> [[String: String]] {
            let lines = try cli.expect(0, arguments + ["--csv"]).standardOutput.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
        }
        func int(_ text: String?) -> Int { Int(text ?? "") ?? -1 }
        let partners = try records(["query", "partners", "--period", "2024-25"])
        let json = try JSONValue(parsing: try cli.expect(0, ["query", "partners", "--period", "2024-25", "--json"]).standardOutput)["partners"]?.arrayValue ?? []
        #expect(partners.count == json.count && partners.count > 10)
        var closedSeen = 0
        for (row, expected) in zip(partners, json) {
            #expect(row["name"] == expected["name"]?.stringValue && row["name"]?.isEmpty == false)
            for (map, total) in [("byChannel", "casesOpened"), ("casesClosed", "casesClosed"), ("supportEpisodes", "supportEpisodes"),
                                 ("referralOutcomes", nil), ("safeguardingReferrals", "safeguardingReferrals")] as [(String, String?)] {
                let columns = row.keys.filter { $0.hasPrefix(map + ".") }
                #expect(columns.count >= 4, "\(map) has a column per value")
                for column in columns {
                    let value = String(column.dropFirst(map.count + 1))
                    #expect(int(row[column]) == Int(expected[map]?[value]?.integerValue ?? 0), "\(row["partnerId"]!) \(column)")
                }
                if let total { #expect(int(row[total]) == columns.map { int(row[$0]) }.reduce(0, +), "\(row["partnerId"]!) \(total)") }
            }
            closedSeen += int(row["casesClosed"])
        }
        #expect(closedSeen > 0)
        let table = try cli.expect(0, ["query", "partners", "--period", "2024-25"]).standardOutput.split(separator: "\n")
        #expect(table[1].hasPrefix("partnerId  name ") && table[1].contains(" casesClosed ") && !table[1].contains("casesClosed."), "\(table[1])")

        // Retention: a person reads the reasons in one cell; the CSV has a column per reason
        // instead, summing to the eligible spells not retained by their employer.
        let retention = try records(["query", "retention", "--period", "2024-25", "--as-of", "2026-06-30"])
        #expect(retention.first?["notRetainedReasons"] == nil && retention.first?["notRetainedReasons.sponsorRevoked"] != nil)
        var leavers = 0
        for row in retention {
            let reasons = row.keys.filter { $0.hasPrefix("notRetainedReasons.") }.map { int(row[$0]) }.reduce(0, +)
            #expect(reasons == int(row["eligible"]) - int(row["employerRetained"]), "\(row)")
            leavers += reasons
        }
        #expect(leavers > 0)
        let retentionTable = try cli.expect(0, ["query", "retention", "--period", "2024-25", "--as-of", "2026-06-30"]).standardOutput.split(separator: "\n")
        #expect(retentionTable[1].hasSuffix("notRetainedReasons"), "\(retentionTable[1])")

        // The programme's months: cases closed by outcome.
        let months = try records(["timeline", "programme", "--period", "2024-25"])
        #expect(months.count == 12 && months.map { int($0["casesClosed"]) }.reduce(0, +) > 0)
        for month in months {
            #expect(int(month["casesClosed"]) == month.keys.filter { $0.hasPrefix("casesClosed.") }.map { int(month[$0]) }.reduce(0, +), "\(month)")
        }
        // Published, each breakdown's cell is published on its own, as the JSON's are.
        let published = try records(["query", "partners", "--period", "2024-25", "--publish"])
        #expect(published.flatMap { $0.filter { $0.key.hasPrefix("casesClosed.") }.values }.allSatisfy { $0 == "<5" || int($0) % 5 == 0 })
    }

    /// `Tools/reference/readmodels.py`, a brute-force reading of SPEC section 5 in Python, gives
    /// the same answers as the projections at many as-of dates and known-at instants (before and
    /// after retractions and back-dated events) on a demo ledger.
    @Test func answersAgreeWithAnIndependentBruteForceReading() throws {
        let python = try #require(ReferencePython.interpreter(), "python3 is on every machine of this kind")
        let cli = try Self.demo(workers: 150, seed: 5)
        // Beyond the demo's own retractions (training records, concerns): one of each type the
        // figures are made from, where the rules allow it, and cases closed late, back-dated.
        var retracted = 0
        for type in ["CaseOpened", "CaseClosed", "EmploymentStarted", "EmploymentEnded", "WorkerDisplaced", "ReplacementSecured", "SupportProvided",
                     "ReferralMade", "ReferralOutcomeRecorded", "JobIntroductionMade", "SponsorLicenceRevoked", "WorkerRegistered", "PartnerRegistered"] {
            let events = try cli.expect(0, ["read", "--type", type, "--limit", "3"]).standardOutput.split(separator: "\n")
            guard let third = events.last, let seq = try JSONValue(parsing: String(third))["seq"]?.integerValue else { continue }
            if try cli.run(["retract", String(seq), "--reason", "A second reading's test"]).status == 0 { retracted += 1 }
        }
        #expect(retracted >= 5, "many types' third event can be retracted (those of closed cases cannot)")
        let open = try JSONValue(parsing: try cli.expect(0, ["query", "caseload", "--json"]).standardOutput)["cases"]?.arrayValue ?? []
        let closings = open.prefix(3).compactMap { row -> JSONValue? in
            guard let caseId = row["caseId"], let opened = row["openedOn"]?.stringValue.flatMap({ LocalDate($0) }) else { return nil }
            return Fixtures.event("CaseClosed", ["caseId": caseId, "outcome": "withdrew"], on: opened.adding(days: 5).description)
        }
        #expect(closings.count == 3)
        try cli.expect(0, ["append", "-"], input: Fixtures.ndjson(closings))
        let script = ReferencePython.script("compare.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, CareLedgerBinary.path, cli.data]
        let report = try process.runPrinting()
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(report.contains("0 different"))
    }

    @Test func queriesAnswerAsTablesJSONAndCSV() throws {
        let cli = try Self.demo(workers: 60, seed: 2)
        let json = try JSONValue(parsing: try cli.expect(0, ["query", "retention", "--period", "2024-25", "--json"]).standardOutput)
        #expect(json["period"] == "2024-25")
        #expect(json["horizons"] == [3, 6, 12])
        #expect(json["cohorts"]?.arrayValue?.isEmpty == false)
        let csv = try cli.expect(0, ["query", "partners", "--period", "2024-25", "--csv"]).standardOutput
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("partnerId,name,kind,casesOpened") == true)
        #expect(lines.count > 10)
        let table = try cli.expect(0, ["query", "caseload", "--as-of", "2025-06-30"]).standardOutput
        #expect(table.contains("Caseload as of 2025-06-30"))
        #expect(table.contains("Open cases:"))
        // An absent value is "-" for a person and an empty field in CSV (a spreadsheet's numbers
        // stay numbers): support cases have no window.
        let caseloadCSV = try cli.expect(0, ["query", "caseload", "--as-of", "2025-06-30", "--csv"]).standardOutput.split(separator: "\r\n")
        let header = caseloadCSV[0].split(separator: ",", omittingEmptySubsequences: false)
        let window = try #require(header.firstIndex(of: "windowEndsOn"))
        let support = caseloadCSV.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }.filter { $0[2] == "support" }
        #expect(!support.isEmpty && support.allSatisfy { $0[window].isEmpty && $0[window + 1].isEmpty }, "\(support.prefix(2))")
        #expect(!csv.contains("\u{1F}") && !table.contains("\u{1F}"))
        // A period whose cohorts are not yet observable: rates are absent, in rows and totals.
        let early = try cli.expect(0, ["query", "retention", "--period", "2024-25", "--as-of", "2025-04-01"]).standardOutput
        #expect(!early.contains("\u{1F}") && early.contains("employer rate -"), "\(early)")
        let earlyCSV = try cli.expect(0, ["query", "retention", "--period", "2024-25", "--as-of", "2025-04-01", "--csv"]).standardOutput
        #expect(!earlyCSV.contains("\u{1F}") && !earlyCSV.contains(",-"), "\(earlyCSV)")
        #expect(table.split(separator: "\n").contains { $0.contains(" support ") && $0.contains(" - ") })
        let programme = try cli.expect(0, ["timeline", "programme", "--period", "2024-25", "--json", "--publish"]).standardOutput
        let months = try JSONValue(parsing: programme)["months"]?.arrayValue ?? []
        #expect(months.count == 12)
        for month in months {
            for key in ["openCases", "casesOpened", "supportEpisodes"] {
                switch month[key] {
                case .string(let text)?: #expect(text == "<5")
                case .integer(let n)?: #expect(n % 5 == 0)
                default: Issue.record("\(key) is neither a count nor \"<5\"")
                }
            }
        }
        // Months not begun when the timeline was known are said to be no forecast.
        #expect(!(try cli.expect(0, ["timeline", "programme", "--period", "2024-25"]).standardOutput.contains("not a forecast")))
        let ahead = try cli.expect(0, ["timeline", "programme", "--period", "2098-12-01..2099-01-31"]).standardOutput
        #expect(ahead.contains("Months from 2098-12 on begin after ") && ahead.contains("They are not a forecast."), "\(ahead)")
    }

    @Test func badOptionsAreUsageErrorsAndUnknownIdsAreNotFound() throws {
        let cli = try Self.demo(workers: 20, seed: 1)
        try cli.expect(2, ["query", "retention", "--period", "2024-13x"])
        try cli.expect(2, ["query", "caseload", "--as-of", "2024-02-30"])
        try cli.expect(2, ["query", "caseload", "--known-at", "yesterday"])
        try cli.expect(2, ["query", "retention", "--by", "nationality"])
        try cli.expect(2, ["query", "partners", "--by", "provider"])
        try cli.expect(2, ["timeline", "worker", "W-00001", "--publish"])
        try cli.expect(2, ["timeline", "case", "C-00001", "--publish"])
        let missing = try cli.expect(1, ["timeline", "worker", "W-NOBODY"])
        #expect(missing.standardError.contains("no events about worker W-NOBODY"))
        try cli.expect(1, ["timeline", "worker", "W-00001", "--known-at", "2000-01-01T00:00:00Z"])
        let timeline = try JSONValue(parsing: try cli.expect(0, ["timeline", "worker", "W-00001", "--json"]).standardOutput)
        #expect(timeline["kind"] == "worker")
        #expect(timeline["events"]?.arrayValue?.first?["type"] == "WorkerRegistered")
        let published = try JSONValue(parsing: try cli.expect(0, ["query", "caseload", "--publish", "--json"]).standardOutput)
        #expect(published["cases"] == nil)
    }

    /// A board reads a provider's timeline limited to its organisational events.
    @Test func aPublishedProviderTimelineKeepsOnlyOrganisationalEvents() throws {
        let cli = try Self.demo(workers: 40, seed: 3)
        let revoked = try cli.expect(0, ["read", "--type", "SponsorLicenceRevoked", "--limit", "1"]).standardOutput
        let provider = try #require(try JSONValue(parsing: revoked)["data"]?["providerId"]?.stringValue)
        let full = try JSONValue(parsing: try cli.expect(0, ["timeline", "provider", provider, "--json"]).standardOutput)
        let board = try JSONValue(parsing: try cli.expect(0, ["timeline", "provider", provider, "--json", "--publish"]).standardOutput)
        let organisational: Set<String> = ["ProviderRegistered", "SponsorLicenceSuspended", "SponsorLicenceReinstated", "SponsorLicenceRevoked"]
        let fullTypes = full["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        let boardTypes = board["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        #expect(fullTypes.contains { !organisational.contains($0) }, "the provider's full timeline names workers")
        #expect(boardTypes == fullTypes.filter { organisational.contains($0) })
        #expect(boardTypes.contains("SponsorLicenceRevoked"))

        // In the full timeline each event of a worker's stream says which worker (its summary
        // alone, "Certificate of sponsorship assigned by P-…", does not); the board's names none.
        let seqs = full["events"]?.arrayValue?.compactMap { $0["seq"]?.integerValue } ?? []
        let stored = Dictionary(uniqueKeysWithValues: try cli.expect(0, ["read"]).standardOutput.split(separator: "\n").map {
            let event = try JSONValue(parsing: String($0))
            return (event["seq"]!.integerValue!, event["stream"]!.stringValue!)
        })
        for (seq, summary) in zip(seqs, full["events"]?.arrayValue?.compactMap { $0["summary"]?.stringValue } ?? []) {
            let stream = try #require(stored[seq])
            if stream.hasPrefix("worker-") {
                #expect(summary.hasPrefix(String(stream.dropFirst("worker-".count)) + ": "), "seq \(seq): \(summary)")
            } else {
                #expect(!summary.hasPrefix("W-"), "seq \(seq): \(summary)")
            }
        }
        #expect(board["events"]?.arrayValue?.allSatisfy { !($0["summary"]?.stringValue?.contains("W-") ?? true) } == true)
    }

    @Test func projectionsShowTheirLagAndRebuild() throws {
        let cli = try Self.demo(workers: 20, seed: 4)
        let before = try JSONValue(parsing: try cli.expect(0, ["projections", "status", "--json"]).standardOutput)
        let head = try #require(before["head"]?.integerValue)
        #expect(before["projections"]?.arrayValue?.allSatisfy { $0["lag"]?.integerValue == head } == true)
        let answer = try cli.expect(0, ["query", "caseload", "--as-of", "2025-06-30", "--json"]).standardOutput
        let after = try JSONValue(parsing: try cli.expect(0, ["projections", "status", "--json"]).standardOutput)
        #expect(after["projections"]?.arrayValue?.map { $0["lag"] } == [0, 0, 0, 0])
        #expect(after["projections"]?.arrayValue?.map { $0["checkpoint"]?.integerValue } == [head, head, head, head])
        try cli.expect(0, ["projections", "rebuild", "caseload"])
        try cli.expect(2, ["projections", "rebuild", "nonsense"])
        #expect(try cli.expect(0, ["query", "caseload", "--as-of", "2025-06-30", "--json"]).standardOutput
                    .replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression)
                == answer.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression))
    }

    /// `projections verify` compares the kept read models with a rebuild from the log: the hash
    /// chain does not cover them, and a changed record would print wrong figures without a sign.
    @Test func projectionsVerifyFindsAChangedRecord() throws {
        let cli = try Self.demo(workers: 20, seed: 3)
        try cli.expect(0, ["query", "caseload"])
        #expect(try cli.expect(0, ["projections", "verify"]).standardOutput.contains("match a rebuild from the log (seq 1 to "))
        let empty = try CLIWorkspace().initialised(withWorld: false)
        #expect(try empty.expect(0, ["projections", "verify"]).standardOutput.contains("match a rebuild from the log (an empty log): 0 records"))

        // Every copy of one worker's id in the store, the live records' among them, made another's.
        let path = cli.data + "/projections/data.mdb"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let from = Array("W-00007".utf8), to = Array("W-00070".utf8)
        var changed = 0
        for i in 0...(bytes.count - from.count) where bytes[i..<(i + from.count)].elementsEqual(from) {
            bytes.replaceSubrange(i..<(i + from.count), with: to)
            changed += 1
        }
        #expect(changed > 0)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let result = try cli.expect(1, ["projections", "verify"])
        #expect(result.standardOutput.contains("FAILED") || result.standardOutput.contains("differ from a rebuild"), "\(result.standardOutput)\(result.standardError)")
        try cli.expect(0, ["projections", "rebuild"])
        try cli.expect(0, ["projections", "verify"])
    }
}
