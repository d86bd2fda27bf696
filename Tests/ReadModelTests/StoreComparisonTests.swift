import CareLedger
import LMDBStore
import LedgerTestSupport
@testable import ProjectionKit
import ReadModels
import Testing

/// `projections verify`: the kept read models against a rebuild from the log, record by record.
@Suite("Read models against a rebuild")
struct StoreComparisonTests {
    /// A demo ledger with its read models caught up, and a second store rebuilt from its log.
    private struct Stores {
        let folder = TemporaryFolder("compare")
        let ledger: Ledger
        let kept: ProjectionStore
        let rebuilt: ProjectionStore

        init() throws {
            try Ledger.initialise(folder: folder.path)
            ledger = try Ledger(folder: folder.path)
            _ = try ledger.append(body: Array((DemoProgramme(workers: 30, seed: 7).lines().joined(separator: "\n") + "\n").utf8))
            kept = try ProjectionStore(dataFolder: folder.path, projections: ReadModels.projections)
            try kept.catchUp(from: ledger)
            rebuilt = try ProjectionStore(dataFolder: folder.file("rebuilt"), projections: ReadModels.projections)
            try rebuilt.rebuild(from: ledger)
        }
    }

    @Test func caughtUpReadModelsMatchARebuild() throws {
        let stores = try Stores()
        let (difference, compared) = try stores.kept.firstDifference(from: stores.rebuilt)
        #expect(difference == nil)
        #expect(compared > 100)
    }

    @Test func aChangedRecordIsNamedWithItsKey() throws {
        let stores = try Stores()
        let db = try #require(stores.kept.databases["caseload"])
        let (key, value) = try stores.kept.environment.read { txn in
            try txn.withCursor(db) { cursor in
                _ = try cursor.move(.last)
                return (Array(cursor.key), Array(cursor.value))
            }
        }
        var changed = value
        changed[changed.count - 1] ^= 0x01
        try stores.kept.environment.write { txn in try txn.put(db, key: key, value: changed) }

        let difference = try #require(try stores.kept.firstDifference(from: stores.rebuilt).difference)
        #expect(difference.projection == "caseload" && !difference.isSum && difference.key == key)
        #expect(difference.description.hasPrefix("caseload record ") && difference.description.hasSuffix(" holds another value"))
        #expect(difference.description.count > "caseload record  holds another value".count, "the key is shown")
    }

    @Test func aMissingSumIsNamed() throws {
        let stores = try Stores()
        let db = try #require(stores.kept.tallyDatabases["partners"])
        let key = try stores.kept.environment.write { txn in
            let key = try txn.withCursor(db) { cursor in
                _ = try cursor.move(.first)
                return Array(cursor.key)
            }
            _ = try txn.delete(db, key: key)
            return key
        }
        let difference = try #require(try stores.kept.firstDifference(from: stores.rebuilt).difference)
        #expect(difference.projection == "partners" && difference.isSum && difference.key == key)
        #expect(difference.description.hasSuffix(" is missing"))
    }
}
