internal import CLMDB

/// Adds keys in ascending order to the end of one database, through a cursor that stays there.
///
/// `put(_:key:value:options: .append)` opens a fresh cursor inside LMDB for every call, which
/// then descends the B-tree from its root to find the last key. A cursor kept between appends is
/// already at the last key, so LMDB only compares the new key with it: a rebuild's plan and a large
/// import append hundreds of thousands of keys in one transaction.
///
/// Valid only inside the ``WriteTransaction/withAppender(_:_:)`` closure that received it, and
/// only while that transaction makes no other change to the same database.
public final class Appender {
    private let raw: OpaquePointer

    init(raw: OpaquePointer) { self.raw = raw }

    /// Stores `value` under `key`, which must sort after every key the database holds; otherwise
    /// throws ``LMDBError/Code/keyExists`` and stores nothing.
    public func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_cursor_put(raw, &k, &v, UInt32(MDB_APPEND)), "mdb_cursor_put")
    }

    /// Reserves `count` bytes under `key` (as ``append(key:value:)`` orders it) and lets `fill`
    /// write them in place, saving a copy.
    public func append(
        key: UnsafeRawBufferPointer, reserving count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_cursor_put(raw, &k, &v, UInt32(MDB_APPEND | MDB_RESERVE)), "mdb_cursor_put")
        fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }
}

@available(*, unavailable)
extension Appender: Sendable {}

extension WriteTransaction {
    /// Calls `body` with an ``Appender`` for `db`, closed when `body` returns.
    public func withAppender<Result>(_ db: Database, _ body: (Appender) throws -> Result) throws -> Result {
        try withWritingCursor(db) { cursor in try body(Appender(raw: cursor)) }
    }

    /// Calls `body` with a new LMDB cursor on `db`, closed when `body` returns.
    func withWritingCursor<Result>(_ db: Database, _ body: (OpaquePointer) throws -> Result) throws -> Result {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(raw, db.dbi, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        return try body(cursor!)
    }
}
