import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `careledger retract`: a mistake corrected by the seq a timeline shows, checked as any event.
@Suite struct RetractCommandTests {
    /// The event at `seq` as `read` serves it.
    static func event(_ cli: CLIWorkspace, at seq: Int) throws -> JSONValue {
        try JSONValue(parsing: try cli.expect(0, ["read", "--from", String(seq), "--limit", "1"]).standardOutput)
    }

    @Test func retractsBySeqOrIdAndSaysHowToRecordTheRightFact() throws {
        let cli = try CLIWorkspace().initialised()
        // The world's referral (seq 8) was made to the wrong partner.
        let before = try cli.digest()
        let checked = try cli.expect(0, ["retract", "8", "--reason", "Referred to the wrong partner", "--check"]).standardOutput
        #expect(checked.hasPrefix("Would retract seq 8, ReferralMade in case-C-1, dated 2024-03-02: Referral R-1 from PT-1 to PT-2"), "\(checked)")
        #expect(try cli.digest() == before, "a check writes nothing")

        let answer = try cli.expect(0, ["retract", "8", "--reason", "Referred to the wrong partner", "--occurred-on", "2024-03-05"]).standardOutput
        #expect(answer.contains("Retracted seq 8, ReferralMade in case-C-1"), "\(answer)")
        #expect(answer.contains("EventRetracted at seq 9 (case-C-1 version 3)"), "\(answer)")
        #expect(answer.contains("\"meta\": {\"corrects\": \"00000000-0000-4000-8000-000000000008\"}"), "\(answer)")
        let retraction = try Self.event(cli, at: 9)
        #expect(retraction["type"] == "EventRetracted" && retraction["occurredOn"] == "2024-03-05")
        #expect(retraction["data"]?["targetEventId"] == "00000000-0000-4000-8000-000000000008")
        #expect(retraction["data"]?["reason"] == "Referred to the wrong partner")
        #expect(retraction["meta"]?["source"] == "careledger retract" && retraction["meta"]?["actor"]?.stringValue?.hasPrefix("os:") == true)
        let timeline = try JSONValue(parsing: try cli.expect(0, ["timeline", "case", "C-1", "--json"]).standardOutput)
        #expect(timeline["events"]?.arrayValue?.first { $0["seq"] == 8 }?["retracted"] == .bool(true))

        // By its id, with JSON as POST /v1/events answers.
        let byID = try JSONValue(parsing: try cli.expect(0, ["retract", "00000000-0000-4000-8000-000000000006", "--reason", "Wrong provider", "--json"]).standardOutput)
        #expect(byID["events"]?[0]?["seq"] == 10 && byID["events"]?[0]?["stream"] == "worker-W-1")
    }

    /// A retraction the rules refuse, or of no event, is refused with the event named, and the
    /// log stays as it was.
    @Test func whatCannotBeRetractedIsRefusedAndNothingIsWritten() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["retract", "6", "--reason", "Wrong provider"])
        let head = try cli.digest()
        let again = try cli.expect(3, ["retract", "6", "--reason", "Again"]).standardError
        #expect(again.contains("cannot retract seq 6, EmploymentStarted in worker-W-1, dated 2024-02-01: Started as careWorker with P-1 (permanent): the event at seq 6 is already retracted (by seq 9)"), "\(again)")
        #expect(try cli.expect(3, ["retract", "6", "--reason", "Again", "--check"]).standardError.contains("already retracted"))
        #expect(try cli.expect(3, ["retract", "9", "--reason", "Undo"]).standardError.contains("a retraction cannot be retracted"))
        let missing = try cli.expect(1, ["retract", "99", "--reason", "x"]).standardError
        #expect(missing.contains("the log holds no seq 99 (its events are seq 1 to 9)"), "\(missing)")
        try cli.expect(1, ["retract", "00000000-0000-4000-8000-000000000099", "--reason", "x"])
        #expect(try cli.expect(2, ["retract", "W-1", "--reason", "x"]).standardError.contains("name the event by its seq"))
        try cli.expect(2, ["retract", "3", "--reason", " "])
        try cli.expect(2, ["retract", "3"])
        #expect(try cli.digest() == head, "the log is as it was")
    }
}
