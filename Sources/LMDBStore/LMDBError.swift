internal import CLMDB
#if canImport(Glibc)
internal import Glibc
#endif

/// An error from LMDB, carrying its code, the call that failed and LMDB's own message.
///
/// The code is an opaque struct rather than an enum that mirrors LMDB's C codes, so that a code
/// LMDB adds later does not break callers; compare against the named constants.
public struct LMDBError: Error, Sendable, CustomStringConvertible {
    /// Which kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The raw LMDB (or errno) value, for logs.
        public let rawValue: Int32

        init(_ rawValue: Int32) { self.rawValue = rawValue }

        /// A key was not found where it had to be.
        public static let notFound = Code(MDB_NOTFOUND)
        /// A put with `noOverwrite` met an existing key.
        public static let keyExists = Code(MDB_KEYEXIST)
        /// The environment's map is full: the ledger needs a larger map size.
        public static let mapFull = Code(MDB_MAP_FULL)
        /// Another process grew the map.
        public static let mapResized = Code(MDB_MAP_RESIZED)
        /// The file is not an LMDB file, or of an incompatible version.
        public static let invalid = Code(MDB_INVALID)
        /// The environment was built for another LMDB version.
        public static let versionMismatch = Code(MDB_VERSION_MISMATCH)
        /// Too many readers hold the environment open.
        public static let readersFull = Code(MDB_READERS_FULL)
        /// A named database was opened with flags that do not match its creation.
        public static let incompatible = Code(MDB_INCOMPATIBLE)
        /// A page was found corrupted.
        public static let corrupted = Code(MDB_CORRUPTED)
        /// A page a tree points to is not in the file: the file is damaged (or cut short).
        public static let pageNotFound = Code(MDB_PAGE_NOTFOUND)
        /// A tree deeper than LMDB's cursors can follow: in a file LMDB wrote, only damage makes one.
        public static let cursorFull = Code(MDB_CURSOR_FULL)
        /// The operating system refused access to a file (errno `EACCES`).
        public static let accessDenied = Code(EACCES)
        /// The file system is mounted read-only (errno `EROFS`).
        public static let readOnlyFileSystem = Code(EROFS)

        public var description: String { String(cString: mdb_strerror(rawValue)) }
    }

    /// What went wrong.
    public let code: Code
    /// The LMDB call that failed, such as `mdb_env_open`.
    public let operation: String
    /// Where it happened, such as a file path, when there is one.
    public let context: String?

    /// An error with `code` from the LMDB call `operation`, at `context` (a path) when there is one.
    public init(code: Code, operation: String, context: String? = nil) {
        self.code = code
        self.operation = operation
        self.context = context
    }

    public var description: String {
        let message = "\(operation): \(code) (LMDB code \(code.rawValue))"
        guard let context else { return message }
        return "\(message) at \(context)"
    }
}

extension LMDBError {
    /// Whether LMDB met a file it cannot have written so: a page that is not what its tree says,
    /// a page the tree names that is not there, a tree it cannot follow, a file that is not an
    /// LMDB file. Damage, or another program's file; never a passing condition.
    public var meansDamagedFile: Bool { [.corrupted, .pageNotFound, .cursorFull, .invalid].contains(code) }
}

/// Turns an LMDB return value into a thrown ``LMDBError`` (0 is success).
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String, context: String? = nil) throws(LMDBError) {
    if rc != 0 { throw LMDBError(code: .init(rc), operation: operation(), context: context) }
}
