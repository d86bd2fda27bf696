import Foundation
import CareLedger
import LedgerJSON
import LedgerTestSupport
import ProjectionKit
import Caseload
import Retention
import PartnerActivity
import Timelines
import ReadModels
import Testing

/// The projection engine: incremental state equals a rebuild, checkpoints, code versions.
@Suite struct EngineTests {
    /// Appends a demo programme in uneven batches, catching up (in small chunks) after each,
    /// and checks the records equal those of a rebuild from zero, and that answers agree.
    @Test(arguments: [UInt64(11), 12, 13])
    func incrementalStateEqualsARebuildFromZero(seed: UInt64) throws {
        let folder = TemporaryFolder("engine")
        try Ledger.initialise(folder: folder.path)
        let ledger = try Ledger(folder: folder.path)
        let models = try ReadModels(ledger: ledger, chunkSize: 97)
        let lines = DemoProgramme(workers: 120, seed: seed).lines()
        var generator = DemoRandom(seed: seed)
        var start = 0
        while start < lines.count {
            let end = min(lines.count, start + 1 + Int(generator.next() % 700))
            _ = try ledger.append(body: Array((lines[start..<end].joined(separator: "\n") + "\n").utf8))
            try models.catchUp()
            start = end
        }
        let incremental = try models.store.allRecords()
        let incrementalSums = try models.store.allTallies()
        let period = try Period("2024-25")
        let answersBefore = try answers(models, period: period)
        try models.store.rebuild(from: ledger)
        let rebuilt = try models.store.allRecords()
        #expect(incremental.keys.sorted() == rebuilt.keys.sorted())
        for name in rebuilt.keys {
            #expect(incremental[name]!.count == rebuilt[name]!.count, "record count of \(name)")
            #expect(incremental[name]! == rebuilt[name]!, "records of \(name)")
        }
        let rebuiltSums = try models.store.allTallies()
        #expect(incrementalSums == rebuiltSums)
        #expect(rebuiltSums["retention"]?.isEmpty == false)
        #expect(try answers(models, period: period) == answersBefore)
        #expect(try models.store.status(against: ledger).allSatisfy { $0.lag == 0 })
    }

    func answers(_ models: ReadModels, period: Period) throws -> [String] {
        let knownAt = Instant(microseconds: Int64.max / 2)
        var options = QueryOptions(asOf: nil, knownAt: knownAt, period: period)
        options.by = .provider
        return [
            try models.caseload(QueryOptions(asOf: LocalDate("2025-01-31")!, knownAt: knownAt)).json(publish: false).compactText,
            try models.retention(options).json(publish: false).compactText,
            try models.partners(QueryOptions(knownAt: knownAt, period: period)).json(publish: false).compactText,
            try models.programme(period: period, knownAt: knownAt).json(publish: false).compactText,
        ]
    }

    /// Queries read most records in place (``FactView``); every stored record of a demo
    /// programme must read the same that way as decoded whole, texts included.
    @Test func recordsReadInPlaceAgreeWithRecordsDecoded() throws {
        let folder = TemporaryFolder("engine")
        try Ledger.initialise(folder: folder.path)
        let ledger = try Ledger(folder: folder.path)
        _ = try ledger.append(body: Array(DemoProgramme(workers: 60, seed: 5).ndjson()))
        let models = try ReadModels(ledger: ledger)
        try models.catchUp()
        let decoded = try models.store.allRecords()
        var texts = 0
        for projection in ReadModels.projections {
            try models.store.read { reader in
                try reader.views(projection.name, prefix: []) { key, views in
                    let facts = decoded[projection.name]![RecordKey(bytes: Array(key))]!
                    #expect(views.count == facts.count)
                    for (view, fact) in zip(views, facts) {
                        #expect(Fact(view) == fact)
                        #expect(view[fact.texts.count] == "" && view[-1] == "")
                        for (index, text) in fact.texts.enumerated() {
                            #expect(view[index] == text)
                            #expect(view.text(index, equals: views[0], 0) == (text == facts[0][0]))
                            texts += 1
                        }
                    }
                }
                let first = decoded[projection.name]!.keys.min()!
                #expect(try reader.withFacts(projection.name, first) { $0.map(Fact.init) } == decoded[projection.name]![first])
                #expect(try reader.withFacts(projection.name, .entity("none", "such")) { $0.isEmpty })
            }
        }
        #expect(texts > 1000)
    }

    @Test func aProjectionWhoseCodeVersionChangedRebuildsItself() throws {
        let folder = TemporaryFolder("engine")
        try Ledger.initialise(folder: folder.path)
        let ledger = try Ledger(folder: folder.path)
        _ = try ledger.append(body: Array(Fixtures.ndjson(Fixtures.world).utf8))
        let first = try ProjectionStore(dataFolder: folder.path, projections: [Counting(version: 1)])
        try first.catchUp(from: ledger)
        #expect(try first.allRecords()["counting"]?.values.flatMap { $0 }.allSatisfy { $0.tag == 1 } == true)
        #expect(try first.status(against: ledger)[0].checkpoint == Checkpoint(seq: Seq(8), version: 1))

        let second = try ProjectionStore(dataFolder: folder.path, projections: [Counting(version: 2)])
        let stale = try second.status(against: ledger)[0]
        #expect(stale.isStale && stale.lag == 8)
        try second.catchUp(from: ledger)
        let records = try second.allRecords()["counting"]!
        #expect(records.count == 8)
        #expect(records.values.flatMap { $0 }.allSatisfy { $0.tag == 2 })
        #expect(try second.status(against: ledger)[0].checkpoint == Checkpoint(seq: Seq(8), version: 2))
    }

    /// The log is parsed on a thread of its own while the folds run: a stored event that no
    /// longer parses, several blocks into the log, fails the catch-up with an error naming its
    /// seq (in order, after the events before it, and with no thread left to hang the process),
    /// and nothing of that catch-up is committed.
    @Test func aDamagedStoredEventFailsTheCatchUpNamingItsSeq() throws {
        let folder = TemporaryFolder("engine")
        try Ledger.initialise(folder: folder.path)
        let marker = "Unparseable Care Homes"
        var last = Seq.zero
        do {
            let ledger = try Ledger(folder: folder.path)
            _ = try ledger.append(body: Array(DemoProgramme(workers: 180, seed: 5).ndjson()))
            let provider = Fixtures.event("ProviderRegistered", ["providerId": "P-DAMAGED", "name": .string(marker), "laCode": "E08000025"])
            last = try ledger.append(body: Array(Fixtures.ndjson([provider]).utf8)).positions.last!.seq
        }
        #expect(last.rawValue > 3 * 1_024, "the damage must lie beyond the first blocks")
        // A quote inside the name's string ends it early: the stored JSON no longer parses.
        let path = folder.path + "/ledger/data.mdb"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let needle = Array(marker.utf8)
        var changed = 0
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
            bytes[i + 1] = UInt8(ascii: "\"")
            changed += 1
        }
        #expect(changed >= 1)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let ledger = try Ledger(folder: folder.path)
        let models = try ReadModels(ledger: ledger)
        let error = try #require(throws: LedgerError.self) { try models.catchUp() }
        #expect(error.code == .verificationFailed)
        #expect(error.description.contains("seq \(last)"), "\(error)")
        #expect(try models.store.status(against: ledger).allSatisfy { $0.checkpoint.seq == .zero })
    }

    /// A query folds in new events first, unless its caller does that itself (the server, on a
    /// lane of its own): it then answers as of what the read models hold, known at their position,
    /// and never takes their write lock.
    @Test func aQueryCatchesUpUnlessItsCallerDoes() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.worker("W-1"), E.worker("W-2"), E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01"))
        let options = QueryOptions(asOf: LocalDate("2024-03-02")!)
        #expect(try log.models.caseload(options).rows.count == 1)
        let caller = try ReadModels(ledger: log.ledger, catchingUpOnQueries: false)
        try log.append(E.opened("C-2", worker: "W-2", type: "support", owner: "PT-1", on: "2024-03-01"))
        #expect(try caller.caseload(options).rows.count == 1, "as of what the read models hold")
        try caller.catchUp()
        #expect(try caller.caseload(options).rows.count == 2)
        try log.append(E.opened("C-3", worker: "W-1", type: "replacement", owner: "PT-1", on: "2024-03-01"))
        #expect(try log.models.caseload(options).rows.count == 3, "a query that catches up sees the new case")
    }

    @Test func projectionsLiveBesideTheLogAndSurviveBeingDeleted() throws {
        let log = try ProgrammeLog()
        try log.append(E.partner("PT-1"), E.worker("W-1"), E.opened("C-1", worker: "W-1", type: "support", owner: "PT-1", on: "2024-03-01"))
        let answer = try log.models.caseload(QueryOptions(asOf: LocalDate("2024-03-02")!)).rows
        try FileManager.default.removeItem(atPath: ProjectionStore.folder(in: log.folder.path))
        let fresh = try ReadModels(ledger: log.ledger)
        #expect(try fresh.caseload(QueryOptions(asOf: LocalDate("2024-03-02")!)).rows == answer)
    }
}

/// A projection that keeps one fact per event, tagged with its own version.
struct Counting: Projection {
    let name = "counting"
    let version: Int
    let interests = Set(EventType.allCases)
    func facts(for event: ProjectedEvent) -> [KeyedFact] {
        [KeyedFact(.dated("event", event.occurredOn, event.seq), event.fact(UInt8(version)))]
    }
}
