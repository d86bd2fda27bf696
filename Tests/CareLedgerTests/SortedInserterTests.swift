import LMDBStore
import LedgerTestSupport
import Testing

@Suite("LMDB sorted inserter")
struct SortedInserterTests {
    /// Enough keys to split pages many times, so runs cross pages in the middle of the tree.
    static let count: UInt32 = 30_000

    private func key(_ n: UInt32) -> [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }
    private func number(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) } }

    private func insert(_ inserter: SortedInserter, _ n: UInt32) throws {
        try key(n).withUnsafeBytes { k in try key(n &* 7).withUnsafeBytes { v in try inserter.insert(key: k, value: v) } }
    }

    @Test func keysAmongBeforeAndAfterStoredOnesEndUpAsPutWouldStoreThem() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("inserter")
        defer { withExtendedLifetime(folder) {} }
        // Every third key of the first two thirds is stored; the run brings the rest, from
        // before the first stored key to well past the last.
        let storedKeys = Set(stride(from: UInt32(1), to: Self.count * 2 / 3, by: 3))
        try environment.write { txn in
            for n in storedKeys.sorted() { try txn.put(db, key: key(n), value: key(n &* 7)) }
        }
        try environment.write { txn in
            try txn.withSortedInserter(db) { inserter in
                for n in 0..<Self.count where !storedKeys.contains(n) { try insert(inserter, n) }
            }
        }
        let all = try environment.everything(in: db)
        #expect(all.map(\.key) == (0..<Self.count).map(key))
        #expect(all.allSatisfy { $0.value == key(number($0.key) &* 7) })
    }

    @Test func aRunIntoAnEmptyDatabaseFillsPagesAsAppendsDo() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("inserter")
        let (appendedFolder, appendedEnvironment, appendedDB) = try Environment.withOneDatabase("inserter")
        defer { withExtendedLifetime((folder, appendedFolder)) {} }
        try environment.write { txn in
            try txn.withSortedInserter(db) { inserter in for n in 0..<Self.count { try insert(inserter, n) } }
        }
        try appendedEnvironment.write { txn in
            try txn.withAppender(appendedDB) { appender in
                for n in 0..<Self.count {
                    try key(n).withUnsafeBytes { k in try key(n &* 7).withUnsafeBytes { v in try appender.append(key: k, value: v) } }
                }
            }
        }
        let pages = try environment.read { try $0.statistics(db).pages }
        let appendedPages = try appendedEnvironment.read { try $0.statistics(appendedDB).pages }
        // Split in the middle, as a put without MDB_APPEND splits, the leaves would be half full.
        #expect(pages == appendedPages)
        #expect(try environment.everything(in: db).count == Int(Self.count))
    }

    @Test func duplicatesJoinTheValuesAKeyHoldsOrMakeANewKey() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("inserter", options: [.create, .duplicateSort, .duplicateFixed])
        defer { withExtendedLifetime(folder) {} }
        // Keys 10, 20, …, 100 hold values 1...3; the run adds 4...(3 + n) to every key from 5
        // to 105 step 5, so some keys are new (before, among and after) and some grow into
        // LMDB's sub-databases (hundreds of values).
        try environment.write { txn in
            for k in stride(from: UInt32(10), through: 100, by: 10) {
                for v in UInt32(1)...3 { try txn.put(db, key: key(k), value: key(v), options: .appendDuplicate) }
            }
        }
        func added(_ k: UInt32) -> ClosedRange<UInt32> { 4...(3 + k * 10) }
        try environment.write { txn in
            try txn.withSortedInserter(db) { inserter in
                for k in stride(from: UInt32(5), through: 105, by: 5) {
                    let values = added(k).flatMap(key)
                    try key(k).withUnsafeBytes { kb in
                        try values.withUnsafeBytes { vb in try inserter.appendDuplicates(key: kb, values: vb, count: added(k).count) }
                    }
                }
            }
        }
        let all = try environment.everything(in: db)
        var expected: [(UInt32, UInt32)] = []
        for k in stride(from: UInt32(5), through: 105, by: 5) {
            if k % 10 == 0 { expected += (1...3).map { (k, $0) } }
            expected += added(k).map { (k, $0) }
        }
        #expect(all.map { "\(number($0.key)):\(number($0.value))" } == expected.map { "\($0.0):\($0.1)" })
    }

    @Test func aStoredKeyOrAKeyOutOfOrderIsRefusedAndTheTransactionWritesNothing() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("inserter")
        defer { withExtendedLifetime(folder) {} }
        try environment.write { txn in for n in [UInt32(10), 20] { try txn.put(db, key: key(n), value: [1]) } }
        for run: [UInt32] in [[5, 10], [5, 30, 20], [15, 12], [30, 30]] {
            #expect {
                try environment.write { txn in
                    try txn.withSortedInserter(db) { inserter in for n in run { try insert(inserter, n) } }
                }
            } throws: { ($0 as? LMDBError)?.code == .keyExists }
        }
        #expect(try environment.everything(in: db).map(\.key) == [key(10), key(20)])
    }
}
