internal import CLMDB

/// A named database inside an ``Environment``: a handle valid for the environment's life.
public struct Database: Hashable, Sendable {
    let dbi: UInt32

    /// How a named database is created and what it holds.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Create the database when it does not exist (in a write transaction only).
        public static let create = Options(rawValue: UInt32(MDB_CREATE))
        /// Keep several sorted values under one key.
        public static let duplicateSort = Options(rawValue: UInt32(MDB_DUPSORT))
        /// With ``duplicateSort``: all values under a key have the same size.
        public static let duplicateFixed = Options(rawValue: UInt32(MDB_DUPFIXED))
    }
}

/// How a value is put into a database.
public struct PutOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with ``LMDBError/Code/keyExists`` rather than replace an existing key.
    public static let noOverwrite = PutOptions(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every key already stored: LMDB appends without a search.
    public static let append = PutOptions(rawValue: UInt32(MDB_APPEND))
    /// The value sorts after every value already under this key (duplicate-sorted databases).
    public static let appendDuplicate = PutOptions(rawValue: UInt32(MDB_APPENDDUP))
    /// Fail rather than store a key and value pair that already exists (duplicate-sorted databases).
    public static let noDuplicateData = PutOptions(rawValue: UInt32(MDB_NODUPDATA))
}

/// Counts that LMDB keeps for a database.
public struct DatabaseStatistics: Sendable {
    /// How many key and value pairs the database holds (duplicates counted one by one).
    public let entries: Int
    /// The height of its B-tree.
    public let depth: Int
    /// Pages in use: branch, leaf and overflow.
    public let pages: Int
}
