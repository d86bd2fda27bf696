import LMDBStore
import LedgerTestSupport
import Testing

@Suite("LMDB appender")
struct AppenderTests {
    /// Enough big-endian keys to split pages several times, so the cursor has to follow the
    /// tree's last leaf as it moves.
    static let count: UInt32 = 20_000

    private func key(_ n: UInt32) -> [UInt8] { withUnsafeBytes(of: n.bigEndian) { Array($0) } }

    @Test func keysAppendedInOrderAreStoredAsPutWouldStoreThem() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("appender")
        defer { withExtendedLifetime(folder) {} }
        try environment.write { txn in
            try txn.withAppender(db) { appender in
                for n in 0..<Self.count {
                    let value = Array(repeating: UInt8(truncatingIfNeeded: n), count: Int(n % 300))
                    try key(n).withUnsafeBytes { k in try value.withUnsafeBytes { v in try appender.append(key: k, value: v) } }
                }
            }
        }
        let all = try environment.everything(in: db)
        #expect(all.count == Int(Self.count))
        #expect(all.map(\.key) == (0..<Self.count).map(key))
        #expect(all.allSatisfy { $0.value.count == Int(UInt32(bigEndian: $0.key.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) % 300) })
    }

    @Test func aKeyThatDoesNotSortLastIsRefusedAndLeavesTheDatabaseAsItWas() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("appender")
        defer { withExtendedLifetime(folder) {} }
        try environment.write { txn in try txn.put(db, key: key(5), value: [1]) }
        for refused in [key(5), key(4), [0]] {
            #expect {
                try environment.write { txn in
                    try txn.withAppender(db) { appender in
                        try key(6).withUnsafeBytes { k in try [6].withUnsafeBytes { v in try appender.append(key: k, value: v) } }
                        try refused.withUnsafeBytes { k in try [9].withUnsafeBytes { v in try appender.append(key: k, value: v) } }
                    }
                }
            } throws: { ($0 as? LMDBError)?.code == .keyExists }
        }
        let all = try environment.everything(in: db)
        #expect(all.map(\.key) == [key(5)] && all.map(\.value) == [[1]])
    }

    @Test func aReservedValueIsFilledInPlace() throws {
        let (folder, environment, db) = try Environment.withOneDatabase("appender")
        defer { withExtendedLifetime(folder) {} }
        try environment.write { txn in
            try txn.withAppender(db) { appender in
                for n in UInt32(1)...3 {
                    try key(n).withUnsafeBytes { k in
                        try appender.append(key: k, reserving: Int(n)) { slot in slot.initializeMemory(as: UInt8.self, repeating: UInt8(n)) }
                    }
                }
            }
        }
        #expect(try environment.everything(in: db).map(\.value) == [[1], [2, 2], [3, 3, 3]])
    }
}
