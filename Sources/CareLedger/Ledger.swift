internal import LMDBStore
internal import Foundation

/// The ledger in a data folder: the append-only log and its indexes in one LMDB environment
/// (`DATA/ledger/`). Several processes may hold the same ledger open; LMDB serialises their
/// appends and every read sees one consistent snapshot.
///
/// Nothing here can update or delete a stored event: the only way in is ``append(body:expectedVersions:)``
/// and ``importNDJSON(path:progress:)``, which add events at the head.
///
/// Open a data folder once per process and share the `Ledger` (it is `Sendable`): LMDB's locks
/// belong to the process, and a second handle on the same files would release them when closed.
public final class Ledger: Sendable {
    /// The data folder.
    public let folder: String
    let environment: Environment
    let databases: LogDatabases
    let catalogue: EventCatalogue
    /// How many events' index entries a batch holds before writing them (``PendingIndexes``).
    let indexEntriesHeld: Int
    /// The workers' data keys, and the master key if the operator gave one (SPEC section 6).
    public let vault: PersonalDataVault

    /// Whether this ledger was opened read-only in a folder this process may not write, and so is
    /// read without LMDB's lock file: sound on a copy nothing writes to (a backup, an auditor's
    /// copy, read-only media), while a writer elsewhere could reuse the pages of this reader's
    /// snapshot. Commands say so when it happens.
    public var readsWithoutLock: Bool { environment.isUnlocked }

    /// What a command tells its user when ``readsWithoutLock``, or `nil`.
    public var lockNote: String? {
        readsWithoutLock
            ? "\(folder) is read-only to this user, so the ledger is read without LMDB's lock file: sound on a copy that nothing writes to; on a live ledger, run this with write access to \(Self.logFolder(in: folder))/lock.mdb, or on a `careledger backup`"
            : nil
    }

    /// Refuses a log whose data file is empty: an emptied (truncated) log, or a copy that never
    /// got its bytes. LMDB would take it for a new environment and write one there, so that a
    /// writing command would hide the loss and `verify` would find an intact, empty log.
    private static func requireIntactDataFile(_ logFolder: String, hint: String = "") throws(LedgerError) {
        let path = logFolder + "/data.mdb"
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if size == 0 {
            throw LedgerError(.damaged, "the data file \(path) is empty (0 bytes): the log was emptied or never copied. Nothing was changed; restore it from a backup\(hint).")
        }
    }

    /// The folder inside the data folder that holds the log's LMDB files.
    public static func logFolder(in folder: String) -> String { folder + "/" + logFolderName }

    /// The name of the log's folder inside a data folder.
    static let logFolderName = "ledger"

    /// Creates a new, empty ledger in `folder` (created if missing). An existing ledger there is
    /// left as it is.
    /// - Returns: whether a new ledger was created.
    @discardableResult
    public static func initialise(folder: String) throws(LedgerError) -> Bool {
        let logFolder = Self.logFolder(in: folder)
        let existed = FileManager.default.fileExists(atPath: logFolder + "/data.mdb")
        // LMDB would make an emptied data file a new, empty log: the old log would be gone unnoticed.
        if existed {
            try requireIntactDataFile(logFolder, hint: " (if an earlier `careledger init` here was stopped before it wrote anything, remove the file and run it again)")
        }
        try DataFolder.requireNoFileInTheWay(of: folder)
        try DataFolder.requireNoFileInTheWay(of: logFolder)
        do {
            try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
        } catch {
            throw LedgerError(.storage, "cannot create the data folder \(folder): \(error.localizedDescription)")
        }
        do {
            let environment = try Environment(path: logFolder)
            try environment.write { txn in
                let databases = try LogDatabases(in: txn, create: true)
                let formatKey = Array("format".utf8)
                if try txn.value(in: databases.meta, key: formatKey) == nil {
                    try txn.put(databases.meta, key: formatKey, value: bigEndianBytes(LogDatabases.formatVersion))
                    try txn.put(databases.meta, key: Array("head".utf8), value: LogHead.empty.encoded)
                }
            }
        } catch {
            throw LedgerError.storage(error, "creating the ledger in \(folder)")
        }
        return !existed
    }

    /// Opens the ledger in `folder`, which ``initialise(folder:)`` made.
    /// - Parameters:
    ///   - readOnly: open without write access (audits, reads).
    ///   - masterKey: the operator's master key: needed to record or reveal personal data, and
    ///     checked against the stored keys now, so a wrong one is named at once.
    ///   - withoutMasterKey: what a refusal for want of the master key says, by who can give it.
    public convenience init(
        folder: String, readOnly: Bool = false, masterKey: MasterKey? = nil, withoutMasterKey: MasterKeyRemedy = .commandLine,
        catalogue: EventCatalogue = .standard
    ) throws(LedgerError) {
        try self.init(folder: folder, readOnly: readOnly, masterKey: masterKey, withoutMasterKey: withoutMasterKey, catalogue: catalogue,
                      indexEntriesHeld: PendingIndexes.capacity)
    }

    /// - Parameter indexEntriesHeld: how many events' index entries a batch holds before it writes
    ///   them (tests make it small, to write them several times within a small batch).
    init(
        folder: String, readOnly: Bool, masterKey: MasterKey?, withoutMasterKey: MasterKeyRemedy = .commandLine,
        catalogue: EventCatalogue, indexEntriesHeld: Int
    ) throws(LedgerError) {
        self.indexEntriesHeld = indexEntriesHeld
        let logFolder = Self.logFolder(in: folder)
        guard FileManager.default.fileExists(atPath: logFolder + "/data.mdb") else {
            try DataFolder.requireNoFileInTheWay(of: folder)
            // A usage error, like a file in the folder's way: the command named a place that
            // holds no ledger, and a script must tell that from storage that failed (exit 5).
            throw LedgerError(.usage, "no ledger in \(folder): create one with `careledger init --data \(ShellWord.quoted(folder))`")
        }
        try Self.requireIntactDataFile(logFolder)
        // The key store first: a wrong master key is refused before the log is opened.
        self.vault = try PersonalDataVault(folder: folder, masterKey: masterKey, withoutMasterKey: withoutMasterKey)
        var options = Environment.Options()
        options.readOnly = readOnly
        do {
            let environment = try Environment(path: logFolder, options: options)
            let databases = try environment.read { txn in try LogDatabases(in: txn, create: false) }
            self.databases = databases
            self.environment = environment
            let format = try environment.read { txn in try txn.value(in: databases.meta, key: MetaKey.format) }
            guard let format, format.count == 8 else {
                throw LedgerError(.damaged, "the ledger's format record in \(logFolder)/data.mdb is missing or damaged. Nothing was changed; restore it from a backup.")
            }
            guard format.withUnsafeBytes({ readBigEndian($0) }) == LogDatabases.formatVersion else {
                throw LedgerError(.storage, "the ledger in \(folder) has an unknown format; this careledger reads format \(LogDatabases.formatVersion)")
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as LMDBError where error.meansDamagedFile || [.versionMismatch, .notFound, .incompatible].contains(error.code) {
            throw LedgerError(.damaged, "the data file \(logFolder)/data.mdb is damaged, or not the data file of a ledger: \(error). Nothing was changed; restore it from a backup.")
        } catch {
            throw LedgerError.storage(error, "opening the ledger in \(folder)")
        }
        self.folder = folder
        self.catalogue = catalogue
    }

    /// Runs `body` in a read transaction, translating storage failures.
    func reading<Result>(_ body: (Transaction) throws -> Result) throws(LedgerError) -> Result {
        do {
            return try environment.read(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError.storage(error, "reading the ledger")
        }
    }

    /// The head of the log: its last seq and hash.
    public func head() throws(LedgerError) -> LogHead {
        try reading { txn in try self.head(in: txn) }
    }

    func head(in txn: Transaction) throws -> LogHead { try databases.head(in: txn) }
}

/// Keys of the `meta` database.
enum MetaKey {
    static let head: [UInt8] = Array("head".utf8)
    static let format: [UInt8] = Array("format".utf8)
}
