public import CareLedger
public import ProjectionKit
public import LedgerJSON

/// How cohorts may be split (SPEC 5.2).
public enum RetentionGrouping: String, Sendable, CaseIterable {
    case provider, laCode, viaReplacement, route
}

/// A cohort row's group: none, a text value, a yes/no (`viaReplacement`), or unknown (the
/// worker's registration is not seen).
public enum GroupValue: Hashable, Sendable, Comparable {
    case unknown
    case flag(Bool)
    case text(String)

    public static func < (a: GroupValue, b: GroupValue) -> Bool {
        switch (a, b) {
        case (.unknown, .unknown): false
        case (.unknown, _): true
        case (_, .unknown): false
        case (.flag(let x), .flag(let y)): !x && y
        case (.text(let x), .text(let y)): x.precedesByBytes(y)
        case (.flag, .text): true
        case (.text, .flag): false
        }
    }

    var json: JSONValue {
        switch self {
        case .unknown: .null
        case .flag(let value): .bool(value)
        case .text(let value): .string(value)
        }
    }

    var cell: String {
        switch self {
        case .unknown: "(unknown)"
        case .flag(let value): value ? "true" : "false"
        case .text(let value): value
        }
    }
}

/// One horizon of one cohort row: exact figures, from which published cells and rates are made.
public struct HorizonFigures: Sendable, Equatable {
    public var eligible = 0
    public var notYetObservable = 0
    public var employerRetained = 0
    public var sectorRetained = 0
    public var notRetainedReasons: [String: Int] = [:]

    public init() {}

    mutating func add(_ other: HorizonFigures) {
        eligible += other.eligible
        notYetObservable += other.notYetObservable
        employerRetained += other.employerRetained
        sectorRetained += other.sectorRetained
        other.notRetainedReasons.forEach { notRetainedReasons[$0.key, default: 0] += $0.value }
    }

    func json(_ figure: Figure) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("eligible", figure.count(eligible)), ("notYetObservable", figure.count(notYetObservable)),
            ("employerRetained", figure.count(employerRetained)), ("sectorRetained", figure.count(sectorRetained)),
        ]
        let suppressed = figure.publish && Disclosure.suppresses(denominator: eligible)
        members.append(("employerRate", suppressed ? .null : .decimal(Figures.rate(employerRetained, eligible))))
        members.append(("sectorRate", suppressed ? .null : .decimal(Figures.rate(sectorRetained, eligible))))
        if suppressed { members.append(("suppressed", true)) }
        members.append(("notRetainedReasons", figure.counts(notRetainedReasons)))
        return .object(members)
    }
}

/// One cohort month (and group) of starters.
public struct CohortRow: Sendable, Equatable {
    /// `YYYY-MM`.
    public var cohort: String
    public var group: GroupValue?
    public var starters: Int
    /// Keyed by horizon in months.
    public var horizons: [Int: HorizonFigures]
}

/// Retention cohorts over a period (SPEC 5.2, section 9's shape).
public struct Retention: Sendable {
    public var asOf: LocalDate
    public var knownAt: Instant
    public var period: Period
    public var by: RetentionGrouping?
    public var horizons: [Int]
    /// Sorted by cohort, then group value.
    public var rows: [CohortRow]

    public func json(publish: Bool) -> JSONValue {
        let figure = Figure(publish: publish)
        return .object([
            ("asOf", .date(asOf)), ("knownAt", .string(knownAt.description)), ("period", .string(period.description)),
            ("by", .text(by?.rawValue)), ("horizons", .array(horizons.map { .integer(Int64($0)) })),
            ("cohorts", .array(rows.map { row in
                .object([
                    ("cohort", .string(row.cohort)),
                    ("group", row.group.map { .object([(by!.rawValue, $0.json)]) } ?? .null),
                    ("starters", figure.count(row.starters)),
                    ("horizons", .object(horizons.map { (String($0), row.horizons[$0, default: HorizonFigures()].json(figure)) })),
                ])
            })),
        ])
    }

    /// The cohorts for a person, a line per horizon, the reasons for leaving in one cell; in
    /// CSV, a column for each reason instead, as the JSON has them.
    public func table(publish: Bool) -> ReportTable {
        let figure = Figure(publish: publish)
        func rate(_ figures: HorizonFigures, _ retained: Int) -> String {
            if publish && Disclosure.suppresses(denominator: figures.eligible) { return "suppressed" }
            return Figures.rate(retained, figures.eligible).map { formatRate($0) } ?? ReportTable.missing
        }
        /// A line of the table: one horizon of one cohort (or group).
        typealias Line = (row: CohortRow, horizon: Int, figures: HorizonFigures)
        var layout = ReportTable.Layout<Line>(
            title: "Retention of starters in \(period) (\(period.from) to \(period.to)) as of \(asOf), known at \(knownAt)"
                + (by.map { ", by \($0.rawValue)" } ?? ""), figure: figure)
        layout.column("cohort") { $0.row.cohort }
        layout.column("group") { $0.row.group?.cell ?? ReportTable.missing }
        layout.count("starters") { $0.row.starters }
        layout.column("horizon") { "\($0.horizon)m" }
        layout.count("eligible") { $0.figures.eligible }
        layout.count("notYetObservable") { $0.figures.notYetObservable }
        layout.count("employerRetained") { $0.figures.employerRetained }
        layout.count("sectorRetained") { $0.figures.sectorRetained }
        layout.column("employerRate") { rate($0.figures, $0.figures.employerRetained) }
        layout.column("sectorRate") { rate($0.figures, $0.figures.sectorRetained) }
        layout.breakdown("notRetainedReasons", by: SpellTallies.reasons, head: .inWords) { $0.figures.notRetainedReasons }
        var totals: [Int: HorizonFigures] = [:]
        var starters = 0
        var lines: [Line] = []
        for row in rows {
            starters += row.starters
            for horizon in horizons {
                let figures = row.horizons[horizon, default: HorizonFigures()]
                totals[horizon, default: HorizonFigures()].add(figures)
                lines.append((row, horizon, figures))
            }
        }
        var table = layout.table(lines)
        table.footer.append("Starters: \(figure.cell(starters))")
        for horizon in horizons {
            let total = totals[horizon, default: HorizonFigures()]
            table.footer.append("All cohorts at \(horizon) months: eligible \(figure.cell(total.eligible)), employer rate \(rate(total, total.employerRetained)), sector rate \(rate(total, total.sectorRetained))")
        }
        return table
    }
}

/// A rate with its four decimal places: 0.9167, 1.0000.
func formatRate(_ rate: Double) -> String {
    let scaled = Int((rate * 10_000).rounded())
    let fraction = String(scaled % 10_000)
    return "\(scaled / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
}
