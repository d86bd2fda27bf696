public import CareLedger
public import ProjectionKit
internal import Caseload
internal import Retention
internal import PartnerActivity
internal import Timelines
internal import Foundation

/// The read models of SPEC section 5 over one data folder: the log, the projections beside it,
/// and the queries that the CLI and the server both answer with.
///
/// Every query first folds in whatever the log holds beyond the projections' checkpoints (so it
/// never answers from stale state), then turns its known-at instant into the last seq recorded by
/// then: the answer is filtered from the projections' facts, with no replay of the log.
public final class ReadModels: Sendable {
    /// Every projection this build keeps.
    public static let projections: [any Projection] = [
        CaseloadProjection(), RetentionProjection(), PartnerActivityProjection(), TimelinesProjection(),
    ]

    /// The event types some figure is made from: the caseload's, retention's, partner
    /// activity's and the programme timeline's (its counts and its organisational events). No
    /// other can change a figure (a late training record, or an offer, which only a timeline
    /// lists), and ``Ledger/changes(since:until:asOf:readBy:)`` leaves them out.
    public static let figureTypes: Set<EventType> = CaseloadProjection().interests
        .union(RetentionProjection().interests).union(PartnerActivityProjection().interests).union(TimelinesProjection.programmeTypes)

    public let ledger: Ledger
    public let store: ProjectionStore
    /// What a command tells its user about where these read models come from, when that is
    /// not the data folder's own store kept up to date (see ``init(ledger:chunkSize:)``).
    public let note: String?
    /// Whether each query first folds in what the log holds beyond the read models (see ``init(ledger:chunkSize:catchingUpOnQueries:)``).
    public let catchesUpOnQueries: Bool
    private let temporaryFolder: ScratchDataFolder?

    /// Opens the read models of `ledger`'s data folder.
    ///
    /// Where this process may not write that folder (an auditor's copy, read-only media), the
    /// folder's read models serve as they are when they hold the whole log; otherwise they are
    /// built afresh in a temporary folder, removed when this value goes, and ``note`` says so.
    /// Either way the log is only read.
    /// - Parameter catchingUpOnQueries: `false` where the caller folds new events in itself before
    ///   it queries (the server, one catch-up at a time on a lane of its own, so that none waits
    ///   for the read models' write lock on a thread that reads need): each query then answers as
    ///   of what the read models hold, as it would of events appended while it ran.
    public init(ledger: Ledger, chunkSize: UInt64 = ProjectionStore.defaultChunkSize, catchingUpOnQueries: Bool = true) throws(LedgerError) {
        self.ledger = ledger
        catchesUpOnQueries = catchingUpOnQueries
        let folder = ProjectionStore.folder(in: ledger.folder)
        if Self.mayKeepReadModels(in: ledger.folder) {
            store = try ProjectionStore(dataFolder: ledger.folder, projections: Self.projections, chunkSize: chunkSize)
            (note, temporaryFolder) = (nil, nil)
            return
        }
        let head = try ledger.head().seq
        if let existing = try? ProjectionStore(readingOnly: ledger.folder, projections: Self.projections),
           (try? existing.isCurrent(at: head)) == true {
            store = existing
            (note, temporaryFolder) = (nil, nil)
            return
        }
        let temporary = ScratchDataFolder(purpose: "read-models")
        store = try ProjectionStore(dataFolder: temporary.path, projections: Self.projections, chunkSize: chunkSize)
        temporaryFolder = temporary
        note = "\(folder) is read-only to this user and its read models do not hold the whole log, so they are built from the log in \(temporary.path) for this command and removed after it"
    }

    /// Whether this process may keep the read models of the data folder `dataFolder`: write their
    /// folder and its files, or create it. Where not (an auditor's copy), they are read as they are.
    public static func mayKeepReadModels(in dataFolder: String) -> Bool {
        let folder = ProjectionStore.folder(in: dataFolder)
        guard FileManager.default.fileExists(atPath: folder) else { return access(dataFolder, W_OK) == 0 }
        return [folder, folder + "/data.mdb", folder + "/lock.mdb"].allSatisfy { path in
            !FileManager.default.fileExists(atPath: path) || access(path, W_OK) == 0
        }
    }

    /// Folds in what the log holds beyond the projections' checkpoints.
    @discardableResult
    public func catchUp(progress: ((Seq, Seq) -> Void)? = nil) throws(LedgerError) -> UInt64 {
        try store.catchUp(from: ledger, progress: progress)
    }

    /// Where a query stands: `asOf` (default: today in UTC) and `knownAt` (default: now), the
    /// latter resolved to the last seq recorded by then.
    public func viewpoint(asOf: LocalDate?, knownAt: Instant?) throws(LedgerError) -> (view: Viewpoint, knownAt: Instant) {
        let now = Instant.now()
        let instant = knownAt ?? now
        let seq = try ledger.withSnapshot { snapshot in try snapshot.lastSeq(knownAt: instant) }
        // Events appended since the catch-up are not in the read models yet: answer as of what they hold.
        let folded = try store.read { reader in try store.projections.map { try reader.checkpoint($0.name).seq }.min() ?? .zero }
        return (Viewpoint(asOf: asOf ?? now.date, knownAt: min(seq, folded)), instant)
    }

    /// The latest financial year whose every cohort has reached its checkpoint at `months` by
    /// `date` (its last day plus `months` on or before `date`): the year a retention chart
    /// drawn on `date` shows whole. On 2024-03-31, 2022-23 (its March 2023 starters reached 12
    /// months that day); on 2025-06-30, 2023-24.
    public static func wholeRetentionYear(asOf date: LocalDate, months: Int = 12) -> Period {
        let anchor = date.adding(months: -months)
        let year = defaultPeriod(containing: anchor)
        return year.to <= anchor ? year : defaultPeriod(containing: year.from.adding(days: -1))
    }

    /// The period a query covers when none is given: the financial year (programme phase)
    /// that holds `date`.
    public static func defaultPeriod(containing date: LocalDate) -> Period { Period.financialYear(containing: date) }
}
