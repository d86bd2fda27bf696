internal import CLMDB

/// Writes a run of keys, given in ascending order, into a database that may already hold keys
/// before, among and after them, through one cursor kept for the whole run.
///
/// Random keys (event ids, stream names) written one at a time as they arrive each descend the
/// B-tree from its root and land on a different page. Gathered and sorted first, consecutive keys
/// mostly fall on the page the cursor already holds, where LMDB searches that page alone; keys
/// after the database's last key are appended (`MDB_APPEND`), which also fills pages whole rather
/// than splitting them in half.
///
/// Valid only inside the ``WriteTransaction/withSortedInserter(_:_:)`` closure that received it,
/// and only while that transaction makes no other change to the same database.
public final class SortedInserter {
    private let raw: OpaquePointer
    /// The database's last key when the run began; `nil` once the run has passed it (or the
    /// database was empty), after which every key is appended.
    private var lastStoredKey: [UInt8]?
    /// The previous key of the run, to refuse one out of order.
    private var previousKey: [UInt8] = []
    private var started = false

    init(raw: OpaquePointer) throws(LMDBError) {
        self.raw = raw
        var key = MDB_val(), value = MDB_val()
        let rc = mdb_cursor_get(raw, &key, &value, MDB_LAST)
        if rc == MDB_NOTFOUND { return }
        try check(rc, "mdb_cursor_get")
        lastStoredKey = Array(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size))
    }

    /// Stores `value` under `key`, a key the database does not hold, which must sort after the
    /// previous key of this run. A key the database holds throws ``LMDBError/Code/keyExists``
    /// and stores nothing.
    public func insert(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let placement = try advance(to: key)
        try check(mdb_cursor_put(raw, &k, &v, placement | UInt32(MDB_NOOVERWRITE)), "mdb_cursor_put")
    }

    /// In a database of fixed-size sorted duplicates: adds `values`, `count` values of
    /// `values.count / count` bytes each in ascending order, under `key`, after the values it
    /// already holds (all of which must sort before them). `key` must sort after the previous key
    /// of this run.
    public func appendDuplicates(key: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer, count: Int) throws(LMDBError) {
        precondition(count > 0 && values.count % count == 0, "values must hold count values of one size")
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        // MDB_MULTIPLE takes two MDB_vals: one value's size and the first value, then the count.
        var v = (MDB_val(mv_size: values.count / count, mv_data: UnsafeMutableRawPointer(mutating: values.baseAddress)),
                 MDB_val(mv_size: count, mv_data: nil))
        let placement = try advance(to: key)
        let rc = withUnsafeMutablePointer(to: &v) { pair in
            pair.withMemoryRebound(to: MDB_val.self, capacity: 2) { vals in
                mdb_cursor_put(raw, &k, vals, placement | UInt32(MDB_MULTIPLE | MDB_APPENDDUP))
            }
        }
        try check(rc, "mdb_cursor_put")
        guard v.1.mv_size == count else {
            throw LMDBError(code: .keyExists, operation: "mdb_cursor_put", context: "stored \(v.1.mv_size) of \(count) duplicates")
        }
    }

    /// Checks that `key` continues the run, and says how LMDB should place it: appended once it
    /// sorts after every key the database held, else found from the cursor's page.
    private func advance(to key: UnsafeRawBufferPointer) throws(LMDBError) -> UInt32 {
        if started {
            let order = compare(key, previousKey)
            // An equal key is allowed for duplicates; `insert` refuses it through MDB_NOOVERWRITE.
            guard order >= 0 else { throw LMDBError(code: .keyExists, operation: "mdb_cursor_put", context: "a key out of ascending order") }
        }
        started = true
        previousKey.removeAll(keepingCapacity: true)
        previousKey.append(contentsOf: key)
        if let last = lastStoredKey {
            if compare(key, last) <= 0 { return 0 }
            lastStoredKey = nil
        }
        return UInt32(MDB_APPEND)
    }

    /// ``LMDBKeyOrder`` of `a` against a key held here.
    private func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Int {
        b.withUnsafeBytes { b in LMDBKeyOrder.compare(a, b) }
    }
}

@available(*, unavailable)
extension SortedInserter: Sendable {}

extension WriteTransaction {
    /// Calls `body` with a ``SortedInserter`` for `db`, closed when `body` returns.
    public func withSortedInserter<Result>(_ db: Database, _ body: (SortedInserter) throws -> Result) throws -> Result {
        try withWritingCursor(db) { cursor in try body(try SortedInserter(raw: cursor)) }
    }
}
