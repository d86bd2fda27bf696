internal import CLMDB

/// A read transaction: a snapshot of the environment, valid only inside the closure that
/// received it. Values it hands out point into the map and are valid until it ends.
public class Transaction {
    let raw: OpaquePointer
    let environment: Environment
    private(set) var isFinished = false

    init(environment: Environment, writable: Bool, parent: OpaquePointer? = nil) throws(LMDBError) {
        var txn: OpaquePointer?
        var rc = mdb_txn_begin(environment.handle, parent, writable ? 0 : UInt32(MDB_RDONLY), &txn)
        if rc == MDB_MAP_RESIZED {
            // Another process grew the map: adopt its size and try once more.
            try check(mdb_env_set_mapsize(environment.handle, 0), "mdb_env_set_mapsize")
            rc = mdb_txn_begin(environment.handle, parent, writable ? 0 : UInt32(MDB_RDONLY), &txn)
        }
        try check(rc, "mdb_txn_begin", context: environment.path)
        self.raw = txn!
        self.environment = environment
    }

    func abort() {
        guard !isFinished else { return }
        isFinished = true
        mdb_txn_abort(raw)
    }

    func commit() throws(LMDBError) {
        isFinished = true
        try check(mdb_txn_commit(raw), "mdb_txn_commit", context: environment.path)
    }

    /// Opens a named database inside this transaction.
    public func openDatabase(_ name: String, options: Database.Options = []) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(raw, name, options.rawValue, &dbi), "mdb_dbi_open", context: name)
        return Database(dbi: dbi)
    }

    /// Calls `body` with the value stored under `key`, or `nil` when there is none. The bytes are
    /// valid only inside `body`.
    public func withValue<Result>(
        in db: Database, key: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) throws -> Result {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(raw, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return try body(nil) }
        try check(rc, "mdb_get")
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// The value stored under `key`, copied out, or `nil`.
    public func value(in db: Database, key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try withValue(in: db, key: key) { value in value.map { Array($0) } }
    }

    /// The value stored under `key`, copied out, or `nil`.
    public func value(in db: Database, key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { try value(in: db, key: $0) }
    }

    /// Whether `key` is stored.
    public func contains(_ db: Database, key: UnsafeRawBufferPointer) throws -> Bool {
        try withValue(in: db, key: key) { $0 != nil }
    }

    /// Calls `body` with a cursor over `db`, closed when `body` returns.
    public func withCursor<Result>(_ db: Database, _ body: (Cursor) throws -> Result) throws -> Result {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(raw, db.dbi, &cursor), "mdb_cursor_open")
        let wrapper = Cursor(raw: cursor!)
        defer { mdb_cursor_close(cursor) }
        return try body(wrapper)
    }

    /// LMDB's counts for `db` as this transaction sees it.
    public func statistics(_ db: Database) throws(LMDBError) -> DatabaseStatistics {
        var stat = MDB_stat()
        try check(mdb_stat(raw, db.dbi, &stat), "mdb_stat")
        return DatabaseStatistics(
            entries: stat.ms_entries, depth: Int(stat.ms_depth),
            pages: stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages)
    }
}

/// A transaction bound to the closure that runs it; it must not cross threads or tasks.
@available(*, unavailable)
extension Transaction: Sendable {}

/// The one write transaction of an environment. It adds puts and deletes to what a read
/// transaction can do, and sees its own uncommitted writes.
public final class WriteTransaction: Transaction {
    init(environment: Environment, parent: WriteTransaction? = nil) throws(LMDBError) {
        try super.init(environment: environment, writable: true, parent: parent?.raw)
    }

    /// Runs `body` in a transaction nested in this one: its changes join this transaction when
    /// `body` returns and are discarded when it throws, leaving this transaction as it was. This
    /// transaction must not be used while `body` runs.
    public func nested<Result>(_ body: (WriteTransaction) throws -> Result) throws -> Result {
        let child = try WriteTransaction(environment: environment, parent: self)
        let result: Result
        do {
            result = try body(child)
        } catch {
            child.abort()
            throw error
        }
        try child.commit()
        return result
    }

    /// Stores `value` under `key`.
    public func put(
        _ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        options: PutOptions = []
    ) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_put(raw, db.dbi, &k, &v, options.rawValue), "mdb_put")
    }

    /// Stores `value` under `key`.
    public func put(_ db: Database, key: [UInt8], value: [UInt8], options: PutOptions = []) throws {
        try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in try put(db, key: k, value: v, options: options) }
        }
    }

    /// Reserves `count` bytes under `key` and lets `fill` write them in place, saving a copy.
    public func put(
        _ db: Database, key: UnsafeRawBufferPointer, reserving count: Int, options: PutOptions = [],
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_put(raw, db.dbi, &k, &v, options.rawValue | UInt32(MDB_RESERVE)), "mdb_put")
        fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Removes `key` (and, in a duplicate-sorted database, all its values). Returns whether it was there.
    @discardableResult
    public func delete(_ db: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(raw, db.dbi, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try check(rc, "mdb_del")
        return true
    }

    /// Removes `key`.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { k in try delete(db, key: k) }
    }

    /// Removes every entry of `db`, keeping the database itself.
    public func removeAll(_ db: Database) throws(LMDBError) {
        try check(mdb_drop(raw, db.dbi, 0), "mdb_drop")
    }
}
