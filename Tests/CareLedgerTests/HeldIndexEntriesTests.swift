@testable import CareLedger
import LedgerJSON
import LedgerTestSupport
import Foundation
import Testing

/// A batch holds its id, stream and type index entries and writes them sorted, in rounds of a
/// few hundred thousand events. These tests make the rounds a few events long, so that a small
/// batch crosses many of them, and check the indexes and the rules that read them.
@Suite("Index entries held and written in rounds")
struct HeldIndexEntriesTests {
    typealias F = Fixtures

    /// A new ledger whose batches write their index entries every `held` events.
    private func ledger(held: Int) throws -> (TemporaryFolder, Ledger) {
        let folder = TemporaryFolder("held-indexes")
        try Ledger.initialise(folder: folder.path)
        return (folder, try Ledger(folder: folder.path, readOnly: false, masterKey: nil, catalogue: .standard, indexEntriesHeld: held))
    }

    private func importing(_ text: [UInt8], into ledger: Ledger) throws -> ImportSummary {
        let file = TemporaryFolder("held-indexes-input")
        let path = file.path + "/events.ndjson"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text)))
        return try withExtendedLifetime(file) { try ledger.importNDJSON(path: path) }
    }

    /// Checks every index against the events themselves: each stream's seqs in order, each
    /// type's seqs in order, and each id's seq.
    private func expectIndexesMatchTheLog(_ ledger: Ledger, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var streams: [String: [Seq]] = [:], types: [EventType: [Seq]] = [:], ids: [(EventID, Seq)] = []
        try ledger.readEvents(EventFilter()) { event in
            let document = try event.document()
            func member(_ name: String) -> String { document.string(document.member(document.root, named: name)!) }
            streams[member("stream"), default: []].append(event.seq)
            types[EventType(rawValue: member("type"))!, default: []].append(event.seq)
            ids.append((EventID(member("id"))!, event.seq))
        }
        #expect(!ids.isEmpty, sourceLocation: sourceLocation)
        let (indexedStreams, indexedIDs) = try ledger.withSnapshot { snapshot in
            (try streams.keys.map { ($0, try snapshot.seqs(inStream: StreamID($0)!)) }, try ids.map { try snapshot.seq(of: $0.0) })
        }
        for (stream, seqs) in indexedStreams { #expect(seqs == streams[stream], "stream \(stream)", sourceLocation: sourceLocation) }
        #expect(indexedIDs == ids.map(\.1), sourceLocation: sourceLocation)
        for (type, seqs) in types {
            var indexed: [Seq] = []
            try ledger.readEvents(EventFilter(type: type)) { indexed.append($0.seq) }
            #expect(indexed == seqs, "type \(type)", sourceLocation: sourceLocation)
        }
        #expect(try ledger.verify().firstBadSeq == nil, sourceLocation: sourceLocation)
    }

    @Test func aProgrammeImportedInRoundsOfSevenIsIndexedAsTheLogSays() throws {
        let (folder, ledger) = try ledger(held: 7)
        defer { withExtendedLifetime(folder) {} }
        let programme = DemoProgramme(workers: 40, seed: 11).ndjson()
        let summary = try importing(programme, into: ledger)
        #expect(summary.appended > 500)
        try expectIndexesMatchTheLog(ledger)
    }

    @Test func aSecondImportMergesItsEntriesAmongTheStoredOnes() throws {
        let (folder, ledger) = try ledger(held: 5)
        defer { withExtendedLifetime(folder) {} }
        let programme = DemoProgramme(workers: 40, seed: 12).ndjson()
        let lines = programme.split(separator: UInt8(ascii: "\n"))
        let half = lines.count / 2
        let first = lines[..<half].flatMap { Array($0) + [UInt8(ascii: "\n")] }
        let second = lines[half...].flatMap { Array($0) + [UInt8(ascii: "\n")] }
        _ = try importing(first, into: ledger)
        // The same first half again: every event is a duplicate of a stored one, found in the
        // index the first import wrote.
        let again = try importing(first, into: ledger)
        #expect(again.appended == 0 && again.duplicates == half)
        _ = try importing(second, into: ledger)
        try expectIndexesMatchTheLog(ledger)
    }

    @Test func theRulesSeeEntriesOfEarlierRoundsOfTheSameBatch() throws {
        let (folder, ledger) = try ledger(held: 2)
        defer { withExtendedLifetime(folder) {} }
        // The world (8 events, so four rounds are written), then: a duplicate of its first
        // event (a no-op), an event of a worker registered rounds ago, a retraction of an event
        // of an earlier round, and a second event on the retracted event's stream.
        let training = F.examples["TrainingCompleted"]!
        let batch = F.worldWithIDs + [
            F.worldWithIDs[0],
            training,
            F.setting(F.examples["EventRetracted"]!, data: "targetEventId", to: "00000000-0000-4000-8000-000000000006"),
            F.examples["CareCertificateAwarded"]!,
        ]
        let result = try ledger.append(body: Array(F.ndjson(batch).utf8))
        #expect(result.positions.map(\.seq.rawValue) == [1, 2, 3, 4, 5, 6, 7, 8, 1, 9, 10, 11])
        #expect(result.positions[8].wasDuplicate)
        // Worker W-1's stream: registration (5), spell start (6), training (9), the retraction
        // of seq 6 (10), the award (11).
        #expect(result.positions[9...].map(\.streamVersion.rawValue) == [3, 4, 5])
        #expect(try ledger.withSnapshot { try $0.retraction(of: Seq(6)) } == Seq(10))
        try expectIndexesMatchTheLog(ledger)

        // Reused with other content, an id of an earlier round of the batch is a conflict.
        let named = F.setting(training, top: "id", to: "00000000-0000-4000-8000-000000000099")
        let arrived = F.examples["WorkerArrived"]!
        let conflict = Result { () throws(LedgerError) in
            try ledger.append(body: Array(F.ndjson([named, arrived, arrived, arrived, F.setting(named, data: "title", to: "Other")]).utf8))
        }
        guard case .failure(let error) = conflict else { Issue.record("a changed event under a used id was accepted"); return }
        #expect(error.code == .conflict)
        #expect(error.description.contains("earlier event of this batch"))
        #expect(try ledger.head().seq == Seq(11))
    }
}
