public import CareLedger
public import Retention

/// Query options as people and clients write them (`--as-of 2025-03-31`, `asOf=2025-03-31`): the
/// CLI and the server parse them here, so both refuse the same text with the same words.
extension QueryOptions {
    /// `YYYY-MM-DD`.
    public static func date(_ text: String, option: String = "--as-of") throws(LedgerError) -> LocalDate {
        guard let date = LocalDate(text) else {
            throw LedgerError(.usage, "\(option) \"\(text)\" is not a date\(LocalDate.hint(for: text)): write it as YYYY-MM-DD, such as 2025-03-31")
        }
        return date
    }

    /// An RFC 3339 instant, such as a `recordedAt` the ledger served.
    public static func instant(_ text: String, option: String = "--known-at") throws(LedgerError) -> Instant {
        guard let instant = Instant(rfc3339: text) else {
            throw LedgerError(.usage, "\(option) \"\(text)\" is not an RFC 3339 instant\(Instant.hint(for: text)): write it like 2025-04-01T09:00:00Z or 2025-04-01T10:00:00.123+01:00")
        }
        // An offset can carry the last or first day of the calendar past it in UTC, where it could
        // not be written back as an answer's knownAt.
        guard (LocalDate.firstWritten...LocalDate.lastWritten).contains(instant.date) else {
            throw LedgerError(.usage, "\(option) \"\(text)\" is \(instant.date < LocalDate.firstWritten ? "before \(LocalDate.firstWritten)" : "after \(LocalDate.lastWritten)") in UTC, where no instant is written (four-digit years): give one from \(LocalDate.firstWritten)T00:00:00Z to \(LocalDate.lastWritten)T23:59:59.999999Z")
        }
        return instant
    }

    /// An earlier reading of the log, as `changes --since` and `GET /v1/changes?since=` take it:
    /// the digest printed beside earlier figures (`SEQ:HASH`), or the instant they were known at.
    public static func earlierReading(_ text: String, option: String) throws(LedgerError) -> Ledger.EarlierReading {
        if let digest = PublishedDigest(text) { return .digest(digest) }
        if text.contains(":") && !text.uppercased().contains("T") {
            throw LedgerError(.usage, "\(option) \"\(text)\" is not a digest: \(PublishedDigest.problem(with: text) ?? PublishedDigest.writtenForm)")
        }
        return .knownAt(try instant(text, option: option))
    }

    /// `3,6,12`: whole months.
    public static func horizons(_ text: String, option: String = "--horizons") throws(LedgerError) -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 600 }) else {
            throw LedgerError(.usage, "\(option) \"\(text)\" is not a list of months from 1 to 600: write it like 3,6,12")
        }
        let months = parts.map { $0! }
        if let repeated = months.first(where: { month in months.filter { $0 == month }.count > 1 }) {
            throw LedgerError(.usage, "\(option) \"\(text)\" names \(repeated) months twice: each horizon once, like 3,6,12")
        }
        return months
    }

    /// `provider`, `laCode`, `viaReplacement` or `route`.
    public static func grouping(_ text: String, option: String = "--by") throws(LedgerError) -> RetentionGrouping {
        guard let grouping = RetentionGrouping(rawValue: text) else {
            let hint = NearestName.hint(for: text, among: RetentionGrouping.allCases.map(\.rawValue))
            throw LedgerError(.usage, "\(option) \"\(text)\" is not a grouping\(hint): use provider, laCode, viaReplacement or route")
        }
        return grouping
    }
}
