public import CareLedger
public import LedgerJSON
public import ProjectionKit
public import Retention

/// The figures that read differently known at an earlier reading and known at a later one: the
/// caseload as of a date, and retention, partner activity and the programme's timeline for a
/// period, each compared figure by figure.
///
/// ``RecordChanges`` lists the events that can restate a figure; this says which figures they
/// did restate, and from what to what, as a board paper printed them (published, with
/// `publish`) or exactly. Rows about people (caseload rows) and the programme's organisational
/// events are not figures and are left to the event list.
public struct FigureChanges: Sendable {
    /// The read models whose figures are compared, in the order they are listed.
    public enum ReadModel: String, Sendable, CaseIterable {
        case caseload, retention, partners, programme
    }

    /// One figure that reads differently.
    public struct Change: Sendable {
        /// The read model whose answer holds it.
        public let readModel: ReadModel
        /// The row's identifying members as SPEC section 9 writes them (`{"cohort": "2024-06",
        /// "group": null}`, `{"partnerId": "PT-03"}`, `{"month": "2024-06"}`); null for the
        /// caseload's totals.
        public let row: JSONValue
        /// The figure within its row, as a JSON pointer (`/horizons/3/employerRetained`).
        public let figure: String
        /// What it read known then: 0 for a count the answer left out (a row with no starters,
        /// a breakdown listing only non-zero entries), null for an absent rate.
        public let then: JSONValue
        /// What it reads known now, in the same way.
        public let now: JSONValue

        /// As a table shows it: the read model, the row (`2024-06 provider P-042`), the figure
        /// (`horizons.3.employerRate`), then and now; an absent value is ``ReportTable/missing``.
        public var cells: [String] {
            [readModel.rawValue, FigureChanges.label(row), String(figure.dropFirst()).replacing("/", with: "."),
             FigureChanges.cell(then), FigureChanges.cell(now)]
        }
    }

    /// The date the figures are as of.
    public let asOf: LocalDate
    /// The period of retention, partner activity and the programme's timeline.
    public let period: Period
    /// How retention's cohorts are split, if they are.
    public let by: RetentionGrouping?
    /// Retention's horizons, in months.
    public let horizons: [Int]
    /// Whether the figures are compared as published (SPEC 5.5).
    public let publish: Bool
    /// Read model by read model, rows in the answers' order.
    public let changes: [Change]

    /// The members `careledger changes --json` and `GET /v1/changes` add.
    public var jsonMembers: [(String, JSONValue)] {
        [
            ("figuresFor", .object([("asOf", .string(asOf.description)), ("period", .string(period.description)),
                                    ("from", .string(period.from.description)), ("to", .string(period.to.description)),
                                    ("by", by.map { .string($0.rawValue) } ?? .null), ("horizons", .array(horizons.map { .integer(Int64($0)) })),
                                    ("published", .bool(publish))])),
            ("figures", .array(changes.map { change in
                .object([("readModel", .string(change.readModel.rawValue)), ("row", change.row), ("figure", .string(change.figure)),
                         ("then", change.then), ("now", change.now)])
            })),
        ]
    }

    /// A table for a person: a line a figure, `then` and `now` side by side.
    public var table: ReportTable {
        var table = ReportTable(
            title: "\(changes.isEmpty ? "Figures compared" : "Figures that read differently")\(publish ? " as published" : ""): the caseload as of \(asOf); retention\(retentionForm), partner activity and the programme for \(period)\(period.kind == .range ? "" : " (\(period.from) to \(period.to))")",
            columns: ["read model", "row", "figure", "then", "now"])
        table.rows = changes.map(\.cells)
        table.footer = [verdict]
        return table
    }

    /// Retention's split and horizons in words, when they are not the default's.
    var retentionForm: String {
        var parts: [String] = []
        if let by { parts.append("by \(by.rawValue)") }
        if horizons != [3, 6, 12] { parts.append("at \(horizons.map(String.init).joined(separator: ", ")) months") }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
    }

    /// The comparison in one line.
    public var verdict: String {
        changes.isEmpty
            ? "No figure reads differently known now than known then."
            : "\(changes.count) figure\(changes.count == 1 ? " reads" : "s read") differently known now than known then."
    }

    /// A row as a person reads it: `2024-06`, `2024-06 provider P-042`, `PT-03`; missing (`-`,
    /// an empty CSV field) for the caseload's totals.
    static func label(_ row: JSONValue) -> String {
        guard let members = row.objectValue, !members.isEmpty else { return ReportTable.missing }
        return members.compactMap { name, value -> String? in
            switch value {
            case .null: nil
            case .object(let group): group.map { "\($0.0) \(cell($0.1))" }.joined(separator: " ")
            default: cell(value)
            }
        }.joined(separator: " ")
    }

    /// A figure as a person reads it: `12`, `<5`, `0.9167`; missing for null.
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: ReportTable.missing
        case .string(let text): text
        default: value.compactText
        }
    }
}
