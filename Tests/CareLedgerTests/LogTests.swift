import CareLedger
import LedgerJSON
import LedgerTestSupport
import Testing
import Foundation

@Suite("The log")
struct LogTests {
    typealias F = Fixtures

    @Test func seqsHaveNoGapsAndStreamsCountFromOne() throws {
        let ledger = try TestLedger()
        let result = try ledger.append([F.examples["WorkerArrived"]!, F.examples["VisaGranted"]!])
        #expect(result.positions.map(\.seq) == [Seq(9), Seq(10)])
        #expect(result.positions.map(\.streamVersion) == [StreamVersion(3), StreamVersion(4)])  // registration, spell start
        var recorded: [String] = []
        try ledger.ledger.readEvents(EventFilter()) { event in
            let value = try JSONValue(parsing: String(decoding: event.servedJSON, as: UTF8.self))
            recorded.append(value["recordedAt"]!.stringValue!)
        }
        #expect(recorded.count == 10)
        #expect(recorded == recorded.sorted() && Set(recorded).count == 10)  // strictly increasing
    }

    @Test func idsTheLedgerAssignsAreVersion7FromRecordedAtAndSortInSeqOrder() throws {
        let ledger = try TestLedger(world: false)
        try ledger.append(F.worldWithIDs)
        let sentIDs = Set(F.worldWithIDs.compactMap { $0["id"]?.stringValue })
        let arrivals = Array(repeating: F.examples["WorkerArrived"]!, count: 40)
        for _ in 0..<3 { try ledger.append(arrivals) }
        var assigned: [(id: String, recordedAt: String)] = []
        try ledger.ledger.readEvents(EventFilter()) { event in
            let value = try JSONValue(parsing: String(decoding: event.servedJSON, as: UTF8.self))
            let id = value["id"]!.stringValue!
            if !sentIDs.contains(id) { assigned.append((id, value["recordedAt"]!.stringValue!)) }
        }
        #expect(assigned.count == 120)
        for (id, recordedAt) in assigned {
            let hex = Array(id.replacingOccurrences(of: "-", with: ""))
            #expect(hex[12] == "7", "version 7: \(id)")
            #expect("89ab".contains(hex[16]), "RFC 9562 variant: \(id)")
            // The first 48 bits are recordedAt's Unix milliseconds.
            let milliseconds = UInt64(String(hex[0..<12]), radix: 16)!
            let recorded = try #require(Instant(rfc3339: recordedAt))
            #expect(milliseconds == UInt64(recorded.microseconds / 1000), "\(id) at \(recordedAt)")
        }
        let ids = assigned.map(\.id)
        #expect(ids == ids.sorted(), "assigned ids sort in the order they were recorded")
    }

    @Test func expectedVersionsConflictNamesStreamExpectedAndActual() throws {
        let ledger = try TestLedger()
        let stream = StreamID("worker-W-1")!
        let error = try #require(throws: LedgerError.self) {
            try ledger.append([F.examples["WorkerArrived"]!], expected: [stream: StreamVersion(1)])
        }
        #expect(error.code == .conflict)
        #expect(error.rule == "stream worker-W-1: expected version 1, actual 2")
        try ledger.append([F.examples["WorkerArrived"]!], expected: [stream: StreamVersion(2), StreamID("case-C-9")!: .none])
        // The batch form carries them too.
        let body = #"{"events":[\#(F.examples["WorkerArrived"]!.compactText)],"expectedVersions":{"case-C-1":0}}"#
        let batchError = try ledger.refusal([], body: Array(body.utf8))
        #expect(batchError.code == .conflict)
        #expect(batchError.rule.contains("stream case-C-1: expected version 0, actual 2"))
        for version in [#""2""#, "-1", "2.5", "true"] {
            let text = #"{"events":[\#(F.examples["WorkerArrived"]!.compactText)],"expectedVersions":{"case-C-1":\#(version)}}"#
            let refused = try ledger.refusal([], body: Array(text.utf8))
            #expect(refused.code == .rejected && refused.pointer == "/expectedVersions/case-C-1", "\(version): \(refused)")
        }
    }

    @Test func anIdentialDuplicateIsANoOpAndADifferentOneAConflict() throws {
        let ledger = try TestLedger()
        let event = F.setting(F.examples["WorkerArrived"]!, top: "id", to: "6f1c1f0e-0b7a-4b8e-9d1e-2a7c3e4f5a6b")
        let first = try ledger.append(event)
        let again = try ledger.append(event)
        #expect(again.onlyDuplicates)
        #expect(again.positions[0].seq == first.positions[0].seq)
        #expect(again.positions[0].hash == first.positions[0].hash)
        #expect(try ledger.ledger.head().seq == first.positions[0].seq)
        // Same content, keys in another order and the id in upper case: still the same event.
        let reordered = #"{"data":{"workerRef":"W-1"},"occurredOn":"2024-05-01","schemaVersion":1,"type":"WorkerArrived","id":"6F1C1F0E-0B7A-4B8E-9D1E-2A7C3E4F5A6B"}"#
        #expect(try ledger.ledger.append(body: Array(reordered.utf8)).onlyDuplicates)
        let changed = F.setting(event, top: "occurredOn", to: "2024-05-02")
        let error = try ledger.refusal([changed])
        #expect(error.code == .conflict)
        #expect(error.pointer == "/id")
        #expect(error.rule.contains("is already stored (seq \(first.positions[0].seq))"))
        // One id twice in a batch, with different content: the message says where, as nothing is stored.
        let fresh = F.setting(F.examples["WorkerArrived"]!, top: "id", to: "7a1c1f0e-0b7a-4b8e-9d1e-2a7c3e4f5a6b")
        let inBatch = try ledger.refusal([fresh, F.setting(fresh, top: "occurredOn", to: "2024-05-03")])
        #expect(inBatch.code == .conflict && inBatch.rule.contains("is used by an earlier event of this batch"), "\(inBatch.rule)")
    }

    @Test func readsByStreamAndTypeUseTheIndexesAndCombineWithFrom() throws {
        let ledger = try TestLedger()
        try ledger.append([F.examples["WorkerArrived"]!, F.examples["SupportProvided"]!, F.examples["WorkerArrived"]!])
        func seqs(_ filter: EventFilter, limit: Int? = nil) throws -> ([UInt64], Seq?) {
            var out: [UInt64] = []
            let next = try ledger.ledger.readEvents(filter, limit: limit) { out.append($0.seq.rawValue) }
            return (out, next)
        }
        #expect(try seqs(EventFilter(stream: StreamID("worker-W-1"))).0 == [5, 6, 9, 11])
        #expect(try seqs(EventFilter(from: Seq(7), stream: StreamID("worker-W-1"))).0 == [9, 11])
        #expect(try seqs(EventFilter(type: .workerArrived)).0 == [9, 11])
        #expect(try seqs(EventFilter(from: Seq(10), type: .workerArrived)).0 == [11])
        #expect(try seqs(EventFilter(stream: StreamID("case-C-1"), type: .supportProvided)).0 == [10])
        let page = try seqs(EventFilter(from: Seq(3)), limit: 4)
        #expect(page.0 == [3, 4, 5, 6] && page.1 == Seq(7))
        #expect(try seqs(EventFilter(from: Seq(9)), limit: 10).1 == nil)
    }

    @Test func servedEventsAreCanonicalAndChainFromZero() throws {
        let ledger = try TestLedger()
        var previous = EventHash.zero
        try ledger.ledger.readEvents(EventFilter()) { event in
            let served = try JSONDocument(parsing: String(decoding: event.servedJSON, as: UTF8.self))
            var writer = CanonicalJSONWriter()
            writer.write(served, value: served.root)
            #expect(writer.bytes == event.servedJSON)
            let hash = served.member(served.root, named: "hash").map { served.string($0) }
            #expect(hash == event.hash.description)
            #expect(!previous.bytes.isEmpty)
            previous = event.hash
        }
        let report = try ledger.ledger.verify()
        #expect(report.ok && report.checked == 8 && report.head.hash == previous)
    }

    @Test func verifyDigestProvesTheLogExtendsAPublishedHead() throws {
        let ledger = try TestLedger()
        let published = try ledger.ledger.head()
        try ledger.append(F.examples["WorkerArrived"]!)
        #expect(try ledger.ledger.verify(digest: PublishedDigest(seq: published.seq, hash: published.hash)).ok)
        let wrong = try ledger.ledger.verify(digest: PublishedDigest(seq: published.seq, hash: EventHash.zero))
        #expect(!wrong.ok && wrong.firstBadSeq == published.seq)
        let beyond = try ledger.ledger.verify(digest: PublishedDigest(seq: Seq(99), hash: published.hash))
        #expect(!beyond.ok)

        // A verification shared among questions answers each digest as verify would.
        let shared = try ledger.ledger.verify()
        for digest in [PublishedDigest(published), PublishedDigest(seq: published.seq, hash: .zero), PublishedDigest(seq: Seq(99), hash: published.hash)] {
            let direct = try ledger.ledger.verify(digest: digest), checked = try ledger.ledger.checkDigest(digest, verified: shared)
            #expect(checked.ok == direct.ok && checked.firstBadSeq == direct.firstBadSeq && checked.detail == direct.detail && checked.head == direct.head)
        }
    }

    @Test func aPublishedDigestIsReadAsDigestPrintsIt() throws {
        let hash = String(repeating: "9f", count: 32)
        let digest = try #require(PublishedDigest("1200:\(hash)"))
        #expect(digest.seq == Seq(1200) && digest.description == "1200:\(hash)")
        #expect(PublishedDigest("1200:\(hash.uppercased())") == digest)
        for text in ["", "1200", "1200:", ":\(hash)", "1200:\(hash.dropLast())", "1200:\(hash)0", "1200:\(hash):", "-1:\(hash)", "12x:\(hash)", "1200:\(hash.dropLast())g"] {
            #expect(PublishedDigest(text) == nil, "\(text)")
        }
    }

    @Test func backupIsAConsistentDataFolderOfItsOwn() throws {
        let ledger = try TestLedger()
        let target = TemporaryFolder("backup")
        let head = try ledger.ledger.backup(to: target.file("copy"))
        #expect(head == (try ledger.ledger.head()))
        #expect(try Ledger(folder: target.file("copy")).verify().ok)
        #expect(throws: LedgerError.self) { try ledger.ledger.backup(to: target.file("copy")) }
    }

    @Test func statisticsCountFromTheIndexes() throws {
        let ledger = try TestLedger()
        try ledger.append(F.examples["EventRetracted"]!)
        let stats = try ledger.ledger.statistics()
        #expect(stats.events == 9 && stats.retracted == 1)
        #expect(stats.streams == 6)  // 2 partners, 2 providers, 1 worker, 1 case
        #expect(stats.byType.first { $0.type == .partnerRegistered }?.count == 2)
    }

    @Test func anUninitialisedFolderIsAClearError() {
        let folder = TemporaryFolder("empty")
        let error = #expect(throws: LedgerError.self) { try Ledger(folder: folder.path) }
        #expect(error?.rule.contains("careledger init") == true)
    }
}

@Suite("Dates and instants")
struct TimeTests {
    @Test("calendar months clamp to the month's end", arguments: [
        ("2024-01-31", 1, "2024-02-29"), ("2023-01-31", 1, "2023-02-28"), ("2024-03-31", 1, "2024-04-30"),
        ("2024-11-30", 3, "2025-02-28"), ("2024-05-15", 12, "2025-05-15"), ("2024-03-31", -1, "2024-02-29"),
    ])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(LocalDate(start)!.adding(months: months).description == expected)
    }

    @Test func datesMustExist() {
        #expect(LocalDate("2024-02-29") != nil)
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-04-31") == nil)
        #expect(LocalDate("2024-4-01") == nil)
        #expect(LocalDate("2024-12-31")!.days(since: LocalDate("2024-01-01")!) == 365)
    }

    @Test func instantsRoundTripRFC3339() {
        let instant = Instant(rfc3339: "2025-04-01T09:00:00.123456Z")!
        #expect(instant.description == "2025-04-01T09:00:00.123456Z")
        for text in ["0001-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.000001Z",
                     "2024-02-29T12:34:56.789012Z", "1970-01-01T00:00:00.000000Z"] {
            #expect(Instant(rfc3339: text)?.description == text, "\(text)")
        }
        #expect(Instant(rfc3339: "2025-04-01T10:00:00+01:00") == Instant(rfc3339: "2025-04-01T09:00:00Z"))
        #expect(Instant(rfc3339: "2025-04-01T09:00:00.5Z")!.microseconds % 1_000_000 == 500_000)
        #expect(Instant(rfc3339: "yesterday") == nil)
        #expect(Instant(rfc3339: "2025-04-01T25:00:00Z") == nil)
        #expect(Instant(rfc3339: "2025-04-01") == Instant(rfc3339: "2025-04-01T23:59:59.999999Z"))
        // Read from raw bytes (unchecked in a release build): every short or overlong shape is refused.
        for text in ["", "2025-04-01T", "2025-04-01T09:00:00", "2025-04-01T09:00:00.", "2025-04-01T09:00:00.Z",
                     "2025-04-01T09:00:00+01", "2025-04-01T09:00:00+01:00:00", "2025-04-01T09:00:00Zjunk", "2025-02-30T09:00:00Z"] {
            #expect(Instant(rfc3339: text) == nil, "\(text)")
        }
    }
}

@Suite("The shared sample")
struct SharedSampleTests {
    @Test func all600EventsImportAndVerify() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/programme-sample.ndjson").standardized.path
        let ledger = try TestLedger(world: false)
        let summary = try ledger.ledger.importNDJSON(path: sample)
        #expect(summary.appended == 600 && summary.firstSeq == Seq(1) && summary.lastSeq == Seq(600))
        #expect(try ledger.ledger.verify().ok)
        // Importing it again changes nothing: every id is already stored with the same content.
        let again = try ledger.ledger.importNDJSON(path: sample)
        #expect(again.appended == 0 && again.duplicates == 600 && again.head == summary.head)
    }
}

