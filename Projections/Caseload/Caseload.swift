public import CareLedger
public import ProjectionKit
public import LedgerJSON

/// One open case on the caseload (SPEC 5.1).
public struct CaseloadRow: Sendable, Equatable {
    public var caseId: String
    public var workerRef: String
    public var caseType: String
    public var channel: String
    public var ownerPartnerId: String
    /// The worker's local authority, from its `WorkerRegistered`.
    public var laCode: String?
    public var openedOn: LocalDate
    public var daysOpen: Int
    public var windowEndsOn: LocalDate?
    public var daysLeft: Int?
    /// In SPEC order: `windowUnder14Days`, `safeguardingRaised`, `employerRevoked`.
    public var flags: [String]
}

/// The cases open on a date, as known at an instant (SPEC 5.1, section 9's shape).
public struct Caseload: Sendable {
    public var asOf: LocalDate
    public var knownAt: Instant
    /// Sorted by `openedOn`, then `caseId`.
    public var rows: [CaseloadRow]

    public var openCases: Int { rows.count }
    public var byType: [String: Int] { rows.reduce(into: [:]) { $0[$1.caseType, default: 0] += 1 } }
    public var byOwnerPartner: [String: Int] { rows.reduce(into: [:]) { $0[$1.ownerPartnerId, default: 0] += 1 } }

    /// Section 9's JSON; published, the counts are disclosure-controlled and `cases` is absent.
    public func json(publish: Bool) -> JSONValue {
        let figure = Figure(publish: publish)
        var members: [(String, JSONValue)] = [
            ("asOf", .date(asOf)), ("knownAt", .string(knownAt.description)),
            ("openCases", figure.count(openCases)), ("byType", figure.counts(byType)),
            ("byOwnerPartner", figure.counts(byOwnerPartner)),
        ]
        if !publish {
            members.append(("cases", .array(rows.map { row in
                .object([
                    ("caseId", .string(row.caseId)), ("workerRef", .string(row.workerRef)),
                    ("caseType", .string(row.caseType)), ("channel", .string(row.channel)),
                    ("ownerPartnerId", .string(row.ownerPartnerId)), ("laCode", .text(row.laCode)),
                    ("openedOn", .date(row.openedOn)), ("daysOpen", .integer(Int64(row.daysOpen))),
                    ("windowEndsOn", .date(row.windowEndsOn)), ("daysLeft", row.daysLeft.map { .integer(Int64($0)) } ?? .null),
                    ("flags", .array(row.flags.map { .string($0) })),
                ])
            })))
        }
        return .object(members)
    }

    /// A table for a person; published, only the totals (no rows about people).
    public func table(publish: Bool) -> ReportTable {
        let figure = Figure(publish: publish)
        let title = "Caseload as of \(asOf), known at \(knownAt)"
        let footer = ["Open cases: \(figure.cell(openCases))", "By type: \(figure.cell(byType))", "By owner partner: \(figure.cell(byOwnerPartner))"]
        if publish {
            var table = ReportTable(title: title, columns: ["caseType", "openCases"], rows: byType.sorted { $0.key < $1.key }.map { [$0.key, figure.cell($0.value)] })
            table.footer = footer
            return table
        }
        return ReportTable(
            title: title,
            columns: ["caseId", "workerRef", "caseType", "channel", "ownerPartnerId", "laCode", "openedOn", "daysOpen", "windowEndsOn", "daysLeft", "flags"],
            rows: rows.map { row in
                [row.caseId, row.workerRef, row.caseType, row.channel, row.ownerPartnerId, row.laCode ?? ReportTable.missing, row.openedOn.description,
                 String(row.daysOpen), row.windowEndsOn?.description ?? ReportTable.missing, row.daysLeft.map(String.init) ?? ReportTable.missing, row.flags.joined(separator: " ")]
            },
            footer: footer)
    }
}
