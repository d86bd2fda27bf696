import ArgumentParser
import CareLedger
import LedgerJSON
import ProjectionKit
import ReadModels

/// `careledger changes --since T|SEQ:HASH`: why a figure published earlier reads differently now.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "List what the log has recorded since an earlier reading that changes figures as of a date.",
        discussion: """
            A figure as of a date sees the events recorded by its known-at instant, less those \
            retracted by then, dated on or before that date. So the same figure known then and \
            known now differs by exactly these: the events recorded since, dated on or before \
            it (late returns, back-dated corrections), and the retractions since of events so \
            dated. None listed: figures as of that date known then and now agree.

            --since takes the instant the earlier figures were known at, or the digest printed \
            beside them (SEQ:HASH, as `careledger digest` and the dashboard give it), which must \
            still be the log's hash at that seq. The date is --as-of, the last day of --period, \
            or else the earlier reading's own date.

              careledger changes --since 2025-04-01T09:00:00Z --period 2024-25
              careledger changes --since 812:9f86d0… --as-of 2025-03-31 --json
            """)

    @OptionGroup var options: DataOptions

    @Option(help: ArgumentHelp("The earlier reading: an RFC 3339 instant, or a digest SEQ:HASH.", valueName: "instant-or-digest"))
    var since: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the figures are as of (YYYY-MM-DD).", valueName: "date"),
            transform: OptionValue.date)
    var asOf: LocalDate?

    @OptionGroup var period: PeriodOption

    @OptionGroup var format: OutputFormatOptions

    func validate() throws {
        if asOf != nil && period.periodText != nil { throw ValidationError("give --as-of or --period, not both: a period's figures are as of its last day") }
    }

    func run() throws {
        let reading: Ledger.EarlierReading
        if let digest = PublishedDigest(since) {
            reading = .digest(digest)
        } else if let instant = Instant(rfc3339: since) {
            reading = .knownAt(instant)
        } else if since.contains(":") && !since.uppercased().contains("T") {
            throw LedgerError(.usage, "--since \"\(since)\" is not a digest: \(PublishedDigest.problem(with: since) ?? PublishedDigest.writtenForm)")
        } else {
            reading = .knownAt(try QueryOptions.instant(since, option: "--since"))  // refused, saying how to write one
        }
        let ledger = try options.openForReading(withMasterKey: false)
        let changes = try ledger.changes(since: reading, asOf: try asOf ?? period.period()?.to)
        format.print(json: { Self.json(changes) }, table: { Self.table(changes) })
    }

    static func json(_ changes: RecordChanges) -> JSONValue {
        func head(_ head: LogHead) -> JSONValue {
            .object([("seq", .integer(Int64(head.seq.rawValue))), ("hash", .string(head.hash.description)),
                     ("recordedAt", head.recordedAt.map { .string($0.description) } ?? .null)])
        }
        return .object([
            ("asOf", .string(changes.asOf.description)), ("then", head(changes.then)), ("now", head(changes.now)),
            ("lateEvents", .integer(Int64(changes.lateEvents))), ("retractions", .integer(Int64(changes.retractions))),
            ("events", .array(changes.entries.map { entry in
                var members: [(String, JSONValue)] = [
                    ("seq", .integer(Int64(entry.seq.rawValue))), ("recordedAt", .string(entry.recordedAt.description)),
                    ("occurredOn", .string(entry.occurredOn.description)), ("type", .string(entry.type.rawValue)),
                    ("stream", .string(entry.stream)), ("summary", .string(entry.summary)),
                ]
                if let retracted = entry.retracted {
                    members.append(("retracts", .object([("seq", .integer(Int64(retracted.seq.rawValue))), ("type", .string(retracted.type.rawValue)),
                                                         ("occurredOn", .string(retracted.occurredOn.description))])))
                }
                return .object(members)
            })),
        ])
    }

    static func table(_ changes: RecordChanges) -> ReportTable {
        var table = ReportTable(
            title: "Recorded since \(changes.then.digestLine)\(changes.then.recordedAt.map { " (\($0))" } ?? ""), up to \(changes.now.digestLine), changing figures as of \(changes.asOf)",
            columns: ["seq", "recordedAt", "occurredOn", "type", "stream", "why", "summary"])
        table.rows = changes.entries.map { entry in
            let why = entry.retracted.map { "retracts seq \($0.seq) (\($0.type.rawValue), \($0.occurredOn))" } ?? "dated on or before \(changes.asOf)"
            return [entry.seq.description, entry.recordedAt.description, entry.occurredOn.description, entry.type.rawValue, entry.stream, why, entry.summary]
        }
        table.footer = [changes.entries.isEmpty
            ? "Nothing recorded since changes figures as of \(changes.asOf): known then and known now, they agree."
            : "\(counted(changes.lateEvents, "event")) recorded since and dated on or before \(changes.asOf), \(counted(changes.retractions, "retraction")) of events so dated: figures as of \(changes.asOf) known then and known now differ by these alone."]
        return table
    }
}
