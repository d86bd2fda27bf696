import Foundation
import CareLedger
import LedgerTestSupport
@testable import ProjectionKit
import Testing

/// The replay reads events straight from their canonical bytes (``CanonicalEventScanner``) and
/// leaves anything else to the JSON parser: both must give the same event, and the scanner must
/// not take bytes it does not fully understand.
@Suite struct CanonicalEventScannerTests {
    /// Every event of demo programmes, as a real ledger stores them (personal data sealed):
    /// the scanner reads each one itself, and reads it as the parser does.
    @Test(arguments: [3, 5] as [UInt64])
    func theScannerReadsEveryStoredDemoEventAsTheParserDoes(seed: UInt64) throws {
        let folder = TemporaryFolder("scanner")
        try Ledger.initialise(folder: folder.path)
        let ledger = try Ledger(folder: folder.path, masterKey: MasterKey.generate())
        _ = try ledger.append(body: Array(DemoProgramme(workers: 400, seed: seed, personalData: true).ndjson()))
        var reader = ProjectedEventReader()
        var read = 0
        try ledger.withSnapshot { snapshot in
            try snapshot.replay(from: Seq(1), through: try snapshot.head().seq) { seq, bytes in
                let type = try #require(CanonicalMember.type(in: bytes))
                let scanned = try #require(CanonicalEventScanner.event(in: bytes, seq: seq, type: type), "seq \(seq): \(String(decoding: bytes, as: UTF8.self))")
                #expect(scanned == (try reader.parsed(seq: seq, type: type, canonical: bytes)), "seq \(seq)")
                read += 1
            }
        }
        #expect(read > 1_000)
    }

    /// `occurredOn` read straight from the bytes is the event's own, though `meta` (free-form,
    /// and before it) holds a key of that name: `changes` passes over events by it.
    @Test func theOccurredOnReadFromTheBytesIsTheEventsOwn() {
        let event = #"{"data":{"workerRef":"W-1"},"id":"0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f90","meta":{"a":"b","occurredOn":"1999-01-01"},"occurredOn":"2024-03-01","recordedAt":"2024-03-02T09:00:00.000Z","schemaVersion":1,"seq":7,"stream":"worker-W-1","streamVersion":2,"type":"WorkerArrived"}"#
        let date = Array(event.utf8).withUnsafeBytes { CanonicalMember.occurredOn(in: $0) }
        #expect(date == LocalDate("2024-03-01"))
        #expect(Array(#"{"data":{}}"#.utf8).withUnsafeBytes { CanonicalMember.occurredOn(in: $0) } == nil)
    }

    private static let tail = #""recordedAt":"2024-03-01T09:00:00.000Z","schemaVersion":1,"seq":7,"stream":"case-C-1","streamVersion":2,"type":"SafeguardingConcernRaised"}"#
    private static let id = #""id":"0190f5a2-7b1c-7d2e-8f3a-4b5c6d7e8f90""#

    private static func event(data: String, meta: String? = nil, occurredOn: String = "2024-03-01") -> String {
        "{\"data\":\(data),\(id)," + (meta.map { "\"meta\":\($0)," } ?? "") + "\"occurredOn\":\"\(occurredOn)\",\(tail)"
    }

    private static func scan(_ text: String) -> ProjectedEvent? {
        Array(text.utf8).withUnsafeBytes { CanonicalEventScanner.event(in: $0, seq: Seq(7), type: .safeguardingConcernRaised) }
    }

    private static func parse(_ text: String) throws -> ProjectedEvent {
        var reader = ProjectedEventReader()
        return try Array(text.utf8).withUnsafeBytes { try reader.parsed(seq: Seq(7), type: .safeguardingConcernRaised, canonical: $0) }
    }

    /// What the ledger writes, in every shape: numbers of every form, nested objects and arrays,
    /// meta present or not, empty data.
    @Test(arguments: [
        event(data: #"{"caseId":"C-1","concernId":"SC-1","indicators":["fees","debt"],"referredTo":["glaa","nrm"],"workerRef":"W-1"}"#, meta: #"{"actor":"staff:jk","corrects":"x}],{"}"#),
        event(data: #"{"caseId":"C-1","concernId":"SC-1","indicators":["other"],"referredTo":[]}"#),
        event(data: #"{"hourlyPayPence":1250,"repaymentClause":{"amountPence":-0,"interestFree":true,"itemised":false,"months":12},"weeklyHours":37.5,"x":1e-7,"y":2.5E+10,"z":null}"#),
        event(data: #"{"viaReplacement":true,"windowEndsOn":"2024-04-30","workerRef":"W-1"}"#),
        event(data: "{}"),
    ])
    func theScannerReadsWhatTheLedgerWrites(_ text: String) throws {
        let scanned = try #require(Self.scan(text))
        #expect(scanned == (try Self.parse(text)))
    }

    @Test func theScannerKeepsWhatReadModelsUse() throws {
        let event = try #require(Self.scan(Self.event(
            data: #"{"caseId":"C-1","concernId":"SC-1","referredTo":["glaa","nrm"],"viaReplacement":false,"windowEndsOn":"2024-04-30","workerRef":"W-1"}"#,
            meta: #"{"occurredOn":"1999-01-01"}"#)))
        #expect(event.caseId == "C-1" && event.concernId == "SC-1" && event.workerRef == "W-1")
        #expect(event.referredTo == ["glaa", "nrm"] && event.viaReplacement == false)
        #expect(event.windowEndsOn == LocalDate("2024-04-30") && event.occurredOn == LocalDate("2024-03-01"))
    }

    /// Bytes the scanner must leave to the parser: text it would have to decode, and anything
    /// that is not canonical JSON. Reading them still works, or fails as the parser says.
    @Test(arguments: [
        ("an escaped quote", event(data: #"{"caseId":"C-1","name":"O\"Brien"}"#), true),
        ("a byte that is not ASCII", event(data: #"{"caseId":"C-1","name":"Café"}"#), true),
        ("a control character", event(data: "{\"caseId\":\"C-1\",\"name\":\"a\tb\"}"), false),
        ("whitespace", event(data: #"{"caseId": "C-1"}"#), true),
        ("members out of order", event(data: #"{"workerRef":"W-1","caseId":"C-1"}"#), true),
        ("a member twice", event(data: #"{"caseId":"C-1","caseId":"C-2"}"#), false),
        ("top-level members out of order", event(data: "{}").replacingOccurrences(of: #""occurredOn""#, with: #""aaa":1,"occurredOn""#), true),
        ("a leading zero", event(data: #"{"months":012}"#), false),
        ("a misspelt literal", event(data: #"{"itemised":tru}"#), false),
        ("a fraction without digits", event(data: #"{"weeklyHours":37.}"#), false),
        ("bytes after the end", event(data: "{}") + "}", false),
        ("an early end", String(event(data: "{}").dropLast()), false),
        ("a string left open", #"{"data":{"caseId":"C-1"#, false),
        ("no occurredOn", event(data: "{}").replacingOccurrences(of: #""occurredOn":"2024-03-01","#, with: ""), true),
        ("an occurredOn that is no date", event(data: "{}", occurredOn: "2024-02-30"), true),
        ("a quote that ends a name early", event(data: #"{"name":"U"nparseable Care Homes"}"#), false),
    ] as [(String, String, Bool)])
    func theScannerLeavesEverythingElseToTheParser(_ what: String, _ text: String, parses: Bool) throws {
        #expect(Self.scan(text) == nil, "\(what)")
        var reader = ProjectedEventReader()
        let read = { try Array(text.utf8).withUnsafeBytes { try reader.read(seq: Seq(7), type: .safeguardingConcernRaised, canonical: $0) } }
        if parses {
            #expect(throws: Never.self, "\(what)") { _ = try read() }
        } else {
            let error = try #require(throws: LedgerError.self, "\(what)") { _ = try read() }
            #expect(error.description.contains("seq 7 is not JSON"), "\(what): \(error)")
        }
    }

    /// Strings are skipped a word at a time: a closing quote at every offset of a word ends the
    /// string exactly there, and a byte the scanner must not take (escape, control character,
    /// not ASCII) at every offset sends the event to the parser.
    @Test func everyOffsetOfAWordIsRead() throws {
        for length in 0..<24 {
            let name = String(repeating: "n", count: length)
            let event = try #require(Self.scan(Self.event(data: "{\"caseId\":\"C-1\",\"name\":\"\(name)\",\"reason\":\"r\"}")), "\(length)")
            #expect(event.name == name && event.caseId == "C-1" && event.reason == "r", "\(length)")
            for special in ["\\\"", "\t", "é"] where length > 0 {
                for at in 0..<length {
                    var bytes = Array(name.utf8)
                    bytes.replaceSubrange(at..<(at + 1), with: Array(special.utf8))
                    let text = Self.event(data: "{\"name\":\"\(String(decoding: bytes, as: UTF8.self))\"}")
                    #expect(Self.scan(text) == nil, "\(special.debugDescription) at \(at) of \(length)")
                }
            }
        }
    }

    @Test func textWithEscapesIsReadDecoded() throws {
        var reader = ProjectedEventReader()
        let text = Self.event(data: #"{"caseId":"C-1","name":"O\"Brien Caf\u00e9"}"#)
        let event = try Array(text.utf8).withUnsafeBytes { try reader.read(seq: Seq(7), type: .safeguardingConcernRaised, canonical: $0) }
        #expect(event.name == "O\"Brien Café")
        #expect(event.caseId == "C-1")
    }

    /// Nesting deeper than the ledger writes goes to the parser.
    @Test func deepNestingIsLeftToTheParser() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(Self.scan(Self.event(data: "{\"x\":\(deep)}")) == nil)
        let shallow = String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
        #expect(Self.scan(Self.event(data: "{\"x\":\(shallow)}")) != nil)
    }
}
