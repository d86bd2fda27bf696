internal import CLMDB
#if canImport(Glibc)
internal import Glibc
#endif

/// An open LMDB environment: one data file and its lock file in a folder.
///
/// Several processes may open the same environment at once; LMDB serialises their write
/// transactions with a lock shared through the lock file, and every read transaction sees a
/// consistent snapshot. Transactions are synchronous closures (commit on return, abort on
/// throw), so none can be held across an `await`.
///
/// An `MDB_env` may be shared between threads (LMDB documents this); the environment is opened
/// with `MDB_NOTLS`, so read transactions are not tied to the thread that began them either.
/// That is why the class is `@unchecked Sendable`: its only state is the immutable handle.
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    /// The folder holding `data.mdb` and `lock.mdb`.
    public let path: String
    /// Whether the environment was opened without write access.
    public let isReadOnly: Bool
    /// Whether it is read without LMDB's lock file: a read-only environment in a folder this
    /// process may not write (an auditor's copy, read-only media), where the lock file, which
    /// every reader writes its snapshot into, cannot be opened for writing.
    ///
    /// Without the lock a writer in another process would not know this reader's snapshot and
    /// could reuse its pages: reliable on a copy nothing writes to, not on a live ledger.
    public let isUnlocked: Bool
    /// The map of the data file, registered so that a file cut short or damaged is explained (``MappedFiles``).
    private let mapRegistration: MappedFiles.Registration?

    /// How to open an environment.
    public struct Options: Sendable {
        /// The largest the data file may grow to. It is reserved address space, not disk.
        public var mapSize: Int = 1 << 40
        /// How many named databases the environment may hold.
        public var maxDatabases: UInt32 = 32
        /// How many read transactions may be open at once, across all processes.
        public var maxReaders: UInt32 = 510
        /// Open for reading only: no write transaction can begin. In a folder this process may
        /// not write, the environment is then opened without the lock file (``isUnlocked``).
        public var readOnly = false
        /// Skip the `fsync` at commit. Only for throwaway data (benchmarks of the bare store).
        public var noSync = false
        /// The environment holds only what is rebuilt from elsewhere (the read models, from the
        /// log): a damaged data file is explained with rebuilding rather than restoring.
        public var isRebuildable = false

        public init() {}
    }

    /// Opens (creating when missing) the environment in the folder `path`, which must exist.
    /// - Throws: ``LMDBError`` when the folder cannot be opened as an LMDB environment.
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        var flags = UInt32(MDB_NOTLS)
        if options.readOnly { flags |= UInt32(MDB_RDONLY) }
        if options.noSync { flags |= UInt32(MDB_NOSYNC) }
        var unlocked = false
        do {
            handle = try Self.open(path, options: options, flags: flags)
        } catch let error where options.readOnly && (error.code == .accessDenied || error.code == .readOnlyFileSystem) {
            handle = try Self.open(path, options: options, flags: flags | UInt32(MDB_NOLOCK))
            unlocked = true
        }
        self.path = path
        self.isReadOnly = options.readOnly
        self.isUnlocked = unlocked
        var info = MDB_envinfo()
        var descriptor: Int32 = -1
        var file = stat()
        if mdb_env_info(handle, &info) == 0, mdb_env_get_fd(handle, &descriptor) == 0, fstat(descriptor, &file) == 0 {
            mapRegistration = MappedFiles.register(mapOfInode: UInt64(file.st_ino), length: info.me_mapsize,
                                                   path: path + "/data.mdb", kind: options.isRebuildable ? .rebuildableStore : .store)
        } else {
            mapRegistration = nil
        }
    }

    private static func open(_ path: String, options: Options, flags: UInt32) throws(LMDBError) -> OpaquePointer {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: .invalid, operation: "mdb_env_create") }
        do {
            try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            try check(mdb_env_set_maxdbs(env, options.maxDatabases), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            // A damaged page makes LMDB assert; the executable may explain that (MappedFiles).
            _ = mdb_env_set_assert(env, MappedFiles.lmdbAssertion)
            try check(mdb_env_open(env, path, flags, 0o640), "mdb_env_open", context: path)
        } catch {
            mdb_env_close(env)
            throw error
        }
        return env
    }

    deinit {
        if let mapRegistration { MappedFiles.unregister(mapRegistration) }
        mdb_env_close(handle)
    }

    /// Runs `body` in a read transaction: a consistent snapshot of the environment.
    ///
    /// The transaction ends with a commit when `body` returns: for a read-only transaction that
    /// changes nothing, but it keeps any database handle opened inside it, which an abort closes.
    public func read<Result>(_ body: (Transaction) throws -> Result) throws -> Result {
        let txn = try Transaction(environment: self, writable: false)
        let result: Result
        do {
            result = try body(txn)
        } catch {
            txn.abort()
            throw error
        }
        try txn.commit()
        return result
    }

    /// Runs `body` in the one write transaction: its changes are committed (and synced) when
    /// `body` returns and abandoned when it throws.
    ///
    /// A second writer, in this or another process, waits until this one ends.
    public func write<Result>(_ body: (WriteTransaction) throws -> Result) throws -> Result {
        let txn = try WriteTransaction(environment: self)
        let result: Result
        do {
            result = try body(txn)
        } catch {
            txn.abort()
            throw error
        }
        try txn.commit()
        return result
    }

    /// Runs `body` in the one write transaction and then abandons its changes, whatever `body`
    /// does: a rehearsal that sees its own writes (a check of a whole import, say) and leaves the
    /// environment exactly as it was.
    ///
    /// Like ``write(_:)`` it holds the writers' lock while `body` runs.
    public func rehearseWrite<Result>(_ body: (WriteTransaction) throws -> Result) throws -> Result {
        let txn = try WriteTransaction(environment: self)
        defer { txn.abort() }
        return try body(txn)
    }

    /// Opens a named database, creating it when `options` include ``Database/Options/create``.
    public func openDatabase(_ name: String, options: Database.Options = []) throws -> Database {
        if options.contains(.create) {
            return try write { txn in try txn.openDatabase(name, options: options) }
        }
        return try read { txn in try txn.openDatabase(name, options: options) }
    }

    /// Writes a consistent copy of the environment's data file into the folder `destination`,
    /// which must exist and be empty. Safe while other processes append: the copy is one snapshot.
    /// - Parameter compact: leave out free pages (old copies of pages freed by later writes).
    public func copy(toFolder destination: String, compact: Bool = true) throws(LMDBError) {
        try check(
            mdb_env_copy2(handle, destination, compact ? UInt32(MDB_CP_COMPACT) : 0),
            "mdb_env_copy2", context: destination)
    }

    /// Flushes written data to disk; needed only when opened with ``Options/noSync``.
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync", context: path)
    }

    /// The size of the map (the largest the data file may grow) and of the part in use.
    public func usage() throws(LMDBError) -> (mapSize: Int, usedBytes: Int) {
        var info = MDB_envinfo()
        try check(mdb_env_info(handle, &info), "mdb_env_info")
        var stat = MDB_stat()
        try check(mdb_env_stat(handle, &stat), "mdb_env_stat")
        return (info.me_mapsize, (info.me_last_pgno + 1) * Int(stat.ms_psize))
    }
}
