internal import CareLedger
internal import Synchronization

/// What the newest whole verification found, and when it ended: the dashboard tells a board
/// whether the record its figures come from last verified, without anyone running a command.
final class LastVerification: Sendable {
    /// One run's finding.
    struct Finding: Sendable {
        /// The report, or `nil` when the run could not read the log.
        let report: VerificationReport?
        /// Why the log could not be read, when it could not.
        let error: String?
        let finishedAt: Instant
    }

    private let newest = Mutex<Finding?>(nil)

    /// The newest run's finding, or `nil` before any run since the server started.
    var finding: Finding? { newest.withLock { $0 } }

    func record(_ report: VerificationReport?, error: String? = nil, at instant: Instant = .now()) {
        newest.withLock { $0 = Finding(report: report, error: error, finishedAt: instant) }
    }
}
