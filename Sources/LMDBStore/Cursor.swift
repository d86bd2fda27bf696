internal import CLMDB

/// A position in a database, moved by ``move(_:)``. The current key and value point into the
/// map and are valid until the next move or the end of the transaction.
public final class Cursor {
    let raw: OpaquePointer
    /// The key and value at the cursor, where LMDB writes them. Kept behind a pointer rather than
    /// in stored properties: a class's stored property passed `inout` is checked for exclusive
    /// access at run time on every move, which cost a scan of small records several percent.
    private let position = UnsafeMutablePointer<MDB_val>.allocate(capacity: 2)
    private var currentKey: UnsafeMutablePointer<MDB_val> { position }
    private var currentValue: UnsafeMutablePointer<MDB_val> { position + 1 }

    init(raw: OpaquePointer) {
        self.raw = raw
        position.initialize(repeating: MDB_val(), count: 2)
    }

    deinit { position.deallocate() }

    /// Where to move.
    public enum Move {
        case first, last, next, previous
        /// The first key at or after the given one.
        case atOrAfter(UnsafeRawBufferPointer)
        /// Exactly the given key.
        case exactly(UnsafeRawBufferPointer)
        /// Duplicate-sorted: the first value at or after the given one, under the given key.
        case valueAtOrAfter(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
        /// Duplicate-sorted: the first or last value under the current key, or the next under it.
        case firstDuplicate, lastDuplicate, nextDuplicate
        /// Duplicate-sorted: the first value of the next key.
        case nextKey
    }

    /// Moves the cursor; returns `false` when there is no such position.
    @discardableResult
    public func move(_ move: Move) throws(LMDBError) -> Bool {
        let op: MDB_cursor_op
        switch move {
        case .first: op = MDB_FIRST
        case .last: op = MDB_LAST
        case .next: op = MDB_NEXT
        case .previous: op = MDB_PREV
        case .firstDuplicate: op = MDB_FIRST_DUP
        case .lastDuplicate: op = MDB_LAST_DUP
        case .nextDuplicate: op = MDB_NEXT_DUP
        case .nextKey: op = MDB_NEXT_NODUP
        case .atOrAfter(let key):
            op = MDB_SET_RANGE
            currentKey.pointee = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        case .exactly(let key):
            op = MDB_SET_KEY
            currentKey.pointee = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        case .valueAtOrAfter(let key, let value):
            op = MDB_GET_BOTH_RANGE
            currentKey.pointee = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
            currentValue.pointee = MDB_val(
                mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        }
        let rc = mdb_cursor_get(raw, currentKey, currentValue, op)
        if rc == MDB_NOTFOUND { return false }
        try check(rc, "mdb_cursor_get")
        if case .valueAtOrAfter = move {
            // MDB_GET_BOTH_RANGE leaves the key as given; read it back from the map.
            try check(mdb_cursor_get(raw, currentKey, currentValue, MDB_GET_CURRENT), "mdb_cursor_get")
        }
        return true
    }

    /// The key at the cursor.
    public var key: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: currentKey.pointee.mv_data, count: currentKey.pointee.mv_size)
    }

    /// The value at the cursor.
    public var value: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: currentValue.pointee.mv_data, count: currentValue.pointee.mv_size)
    }

    /// Duplicate-sorted: how many values the current key holds.
    public func duplicateCount() throws(LMDBError) -> Int {
        var count: Int = 0
        try check(mdb_cursor_count(raw, &count), "mdb_cursor_count")
        return count
    }
}

@available(*, unavailable)
extension Cursor: Sendable {}
