public import CareLedger
internal import LMDBStore
internal import Foundation

/// The read models' state: an LMDB environment of its own beside the log (`DATA/projections/`),
/// so an auditor can open the log read-only and read models can be dropped and rebuilt without
/// touching it. One named database per projection holds its records (and another its sums, see
/// ``Tally``); `checkpoints` holds, per
/// projection, the last seq folded in and the code version that folded it, committed in the same
/// transaction as the records they cover.
public final class ProjectionStore: Sendable {
    /// The projections this store keeps, in the order they were given.
    public let projections: [any Projection]
    let environment: Environment
    let checkpoints: Database
    let databases: [String: Database]
    /// Each projection's sums (``Tally``), by projection name.
    let tallyDatabases: [String: Database]
    /// How many events one write transaction of a catch-up folds in. Each chunk commits its
    /// records with its checkpoints, so an interrupted rebuild resumes from the last chunk.
    public let chunkSize: UInt64
    /// The chunk of a rebuild from zero (every record then in memory): larger, for fewer commits
    /// and appends in key order; still bounded, so that one transaction's dirty pages stay well
    /// under LMDB's limit.
    let rebuildChunkSize: UInt64

    /// The default ``chunkSize``: large enough to amortise a commit, small enough to bound a
    /// transaction's dirty pages.
    public static let defaultChunkSize: UInt64 = 250_000

    /// A failure of `doing` on the store in `folder`: `damaged`, with what mends it, when LMDB met
    /// a page it cannot have written (the store can always be rebuilt from the log), else storage.
    package static func failure(_ error: any Error, _ doing: String, folder: String) -> LedgerError {
        if let error = error as? LedgerError { return error }
        if let error = error as? LMDBError, error.meansDamagedFile {
            return LedgerError(.damaged, "\(doing) failed: the read models' store \(folder)/data.mdb is damaged (\(error)); rebuild them with `careledger projections rebuild` (the log is not affected)")
        }
        return LedgerError.storage(error, doing)
    }

    /// The folder inside a data folder that holds the projections' LMDB files.
    public static func folder(in dataFolder: String) -> String { dataFolder + "/projections" }

    /// Opens (creating when missing) the projection store of the data folder `dataFolder`.
    public init(dataFolder: String, projections: [any Projection], chunkSize: UInt64 = defaultChunkSize) throws(LedgerError) {
        let folder = Self.folder(in: dataFolder)
        self.projections = projections
        self.chunkSize = max(1, chunkSize)
        self.rebuildChunkSize = chunkSize == Self.defaultChunkSize ? 2_000_000 : self.chunkSize
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw LedgerError(.storage, "cannot create \(folder) for the read models: \(error.localizedDescription)")
        }
        do {
            var options = Environment.Options()
            options.isRebuildable = true
            let environment = try Environment(path: folder, options: options)
            let opened = try environment.write { txn in try Self.openDatabases(for: projections, in: txn, options: .create) }
            self.environment = environment
            (self.checkpoints, self.databases, self.tallyDatabases) = opened
        } catch {
            throw Self.failure(error, "opening the read models in \(folder)", folder: folder)
        }
    }

    /// Opens, for reading only, the projection store that the data folder `dataFolder` holds: the
    /// read models of a folder this process may not write (an auditor's copy), served as they
    /// are. Only ``catchUp(from:only:progress:)`` with nothing to fold and reads work on it.
    /// - Throws: when the folder holds no store with every projection of `projections`.
    public init(readingOnly dataFolder: String, projections: [any Projection]) throws(LedgerError) {
        let folder = Self.folder(in: dataFolder)
        self.projections = projections
        self.chunkSize = Self.defaultChunkSize
        self.rebuildChunkSize = Self.defaultChunkSize
        guard FileManager.default.fileExists(atPath: folder + "/data.mdb") else {
            throw LedgerError(.storage, "\(folder) holds no read models")
        }
        do {
            var options = Environment.Options()
            options.readOnly = true
            options.isRebuildable = true
            let environment = try Environment(path: folder, options: options)
            let opened = try environment.read { txn in try Self.openDatabases(for: projections, in: txn, options: []) }
            self.environment = environment
            (self.checkpoints, self.databases, self.tallyDatabases) = opened
        } catch {
            throw Self.failure(error, "opening the read models in \(folder) for reading", folder: folder)
        }
    }

    /// The store's named databases: `checkpoints`, and per projection its records and its sums.
    private static func openDatabases(
        for projections: [any Projection], in txn: Transaction, options: Database.Options
    ) throws -> (checkpoints: Database, records: [String: Database], tallies: [String: Database]) {
        let checkpoints = try txn.openDatabase("checkpoints", options: options)
        var records: [String: Database] = [:], tallies: [String: Database] = [:]
        for projection in projections {
            records[projection.name] = try txn.openDatabase("model:" + projection.name, options: options)
            tallies[projection.name] = try txn.openDatabase("tally:" + projection.name, options: options)
        }
        return (checkpoints, records, tallies)
    }

    /// Whether every projection (or each of `selected`) has folded in the log up to `head` with
    /// this build's code.
    public func isCurrent(at head: Seq, _ selected: [any Projection]? = nil) throws(LedgerError) -> Bool {
        try read { reader in
            try (selected ?? projections).allSatisfy { projection in
                let checkpoint = try reader.checkpoint(projection.name)
                return checkpoint.version == projection.version && checkpoint.seq >= head
            }
        }
    }

    /// The projection called `name`.
    public func projection(named name: String) -> (any Projection)? {
        projections.first { $0.name == name }
    }

    /// Every record of every projection, by projection name: for checking that state kept
    /// incrementally equals state rebuilt from zero.
    public func allRecords() throws(LedgerError) -> [String: [RecordKey: [Fact]]] {
        try read { reader in
            var result: [String: [RecordKey: [Fact]]] = [:]
            for projection in projections {
                var records: [RecordKey: [Fact]] = [:]
                try reader.scan(projection.name, prefix: []) { key, facts in
                    records[key] = facts
                    return true
                }
                result[projection.name] = records
            }
            return result
        }
    }

    /// Every sum (``Tally``) of every projection, by projection name: for the same check.
    public func allTallies() throws(LedgerError) -> [String: [RecordKey: [Int32]]] {
        try read { reader in
            var result: [String: [RecordKey: [Int32]]] = [:]
            for projection in projections {
                var sums: [RecordKey: [Int32]] = [:]
                try reader.tallies(projection.name, prefix: []) { key, counts in sums[RecordKey(bytes: key)] = Array(counts) }
                result[projection.name] = sums
            }
            return result
        }
    }

    /// Runs `body` in a read transaction of the store.
    public func read<Result>(_ body: (ProjectionReader) throws -> Result) throws(LedgerError) -> Result {
        do {
            return try environment.read { txn in try body(ProjectionReader(txn: txn, databases: databases, tallies: tallyDatabases, checkpoints: checkpoints)) }
        } catch {
            throw Self.failure(error, "reading the read models", folder: environment.path)
        }
    }
}

/// Where a projection stands: the last seq folded in and the code version that folded it.
public struct Checkpoint: Sendable, Equatable {
    public var seq: Seq
    public var version: Int

    static let none = Checkpoint(seq: .zero, version: 0)

    var encoded: [UInt8] {
        withUnsafeBytes(of: seq.rawValue.bigEndian) { Array($0) } + withUnsafeBytes(of: UInt32(version).bigEndian) { Array($0) }
    }

    public init(seq: Seq, version: Int) {
        self.seq = seq
        self.version = version
    }

    init?(encoded raw: UnsafeRawBufferPointer) {
        guard raw.count == 12 else { return nil }
        var seq: UInt64 = 0
        var version: UInt32 = 0
        for i in 0..<8 { seq = seq << 8 | UInt64(raw[i]) }
        for i in 8..<12 { version = version << 8 | UInt32(raw[i]) }
        self.init(seq: Seq(seq), version: Int(version))
    }
}

/// One projection's position against the log, for `projections status`.
public struct ProjectionStatus: Sendable {
    public var name: String
    /// The code version of this build.
    public var version: Int
    /// What the store holds: the last seq folded in and the version that folded it.
    public var checkpoint: Checkpoint
    /// How many events of the log it has not folded in yet.
    public var lag: UInt64
    /// How many records it keeps.
    public var records: Int
    /// Whether its stored state came from another code version (it rebuilds on the next catch-up).
    public var isStale: Bool { checkpoint.version != version }
}
