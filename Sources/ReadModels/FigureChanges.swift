public import CareLedger
public import LedgerJSON
public import ProjectionKit
internal import Caseload
internal import Retention
internal import PartnerActivity
internal import Timelines

/// The figures that read differently known at an earlier reading and known at a later one: the
/// caseload as of a date, and retention, partner activity and the programme's timeline for a
/// period, each compared figure by figure.
///
/// ``RecordChanges`` lists the events that can restate a figure; this says which figures they
/// did restate, and from what to what, as a board paper printed them (published, with
/// `publish`) or exactly. Rows about people (caseload rows) and the programme's organisational
/// events are not figures and are left to the event list.
public struct FigureChanges: Sendable {
    /// One figure that reads differently.
    public struct Change: Sendable {
        /// `caseload`, `retention`, `partners` or `programme`.
        public let readModel: String
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
            [readModel, FigureChanges.label(row), String(figure.dropFirst()).replacing("/", with: "."),
             FigureChanges.cell(then), FigureChanges.cell(now)]
        }
    }

    /// The date the figures are as of.
    public let asOf: LocalDate
    /// The period of retention, partner activity and the programme's timeline.
    public let period: Period
    /// Whether the figures are compared as published (SPEC 5.5).
    public let publish: Bool
    /// Read model by read model, rows in the answers' order.
    public let changes: [Change]

    /// The members `careledger changes --json` and `GET /v1/changes` add.
    public var jsonMembers: [(String, JSONValue)] {
        [
            ("figuresFor", .object([("asOf", .string(asOf.description)), ("period", .string(period.description)),
                                    ("from", .string(period.from.description)), ("to", .string(period.to.description)),
                                    ("published", .bool(publish))])),
            ("figures", .array(changes.map { change in
                .object([("readModel", .string(change.readModel)), ("row", change.row), ("figure", .string(change.figure)),
                         ("then", change.then), ("now", change.now)])
            })),
        ]
    }

    /// A table for a person: a line a figure, `then` and `now` side by side.
    public var table: ReportTable {
        var table = ReportTable(
            title: "Figures that read differently\(publish ? " as published" : ""): the caseload as of \(asOf); retention, partner activity and the programme for \(period)\(period.kind == .range ? "" : " (\(period.from) to \(period.to))")",
            columns: ["read model", "row", "figure", "then", "now"])
        table.rows = changes.map(\.cells)
        table.footer = [verdict]
        return table
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

    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: ReportTable.missing
        case .string(let text): text
        default: value.compactText
        }
    }
}

extension FigureChanges {
    /// One row of an answer: what identifies it, and its figures by JSON pointer.
    struct Row {
        let identity: JSONValue
        let figures: [(pointer: String, value: JSONValue)]

        /// `answer[list]`'s rows, each identified by `keys`, less the members that are not figures.
        static func rows(of answer: JSONValue, in list: String, identifiedBy keys: [String], leaving: Set<String> = []) -> [Row] {
            (answer[list]?.arrayValue ?? []).map { element in
                let members = element.objectValue ?? []
                return Row(identity: .object(keys.map { key in (key, element[key] ?? .null) }),
                           figures: flattened(.object(members.filter { !keys.contains($0.0) && !leaving.contains($0.0) })))
            }
        }

        /// An answer that is one row of totals, less the members that are not figures.
        static func totals(of answer: JSONValue, leaving: Set<String>) -> [Row] {
            [Row(identity: .null, figures: flattened(.object((answer.objectValue ?? []).filter { !leaving.contains($0.0) })))]
        }

        /// Every leaf of `value` under its pointer; objects are walked, anything else is a leaf.
        static func flattened(_ value: JSONValue, at pointer: String = "") -> [(pointer: String, value: JSONValue)] {
            guard case .object(let members) = value else { return [(pointer, value)] }
            return members.flatMap { name, member in
                flattened(member, at: pointer + "/" + name.replacing("~", with: "~0").replacing("/", with: "~1"))
            }
        }
    }

    /// The figures of `now` that differ from `then`, row by row; a row or a member one side
    /// lacks reads as what the answer leaves out (``absent(besides:)``).
    static func compare(_ readModel: String, then: [Row], now: [Row]) -> [Change] {
        let thenRows = Dictionary(then.map { ($0.identity.compactText, $0) }, uniquingKeysWith: { first, _ in first })
        let nowRows = Dictionary(now.map { ($0.identity.compactText, $0) }, uniquingKeysWith: { first, _ in first })
        let order = merged(now.map(\.identity.compactText), then.map(\.identity.compactText))
        return order.flatMap { key -> [Change] in
            let before = thenRows[key], after = nowRows[key]
            let identity = (after ?? before)!.identity
            let thenFigures = Dictionary((before?.figures ?? []).map { ($0.pointer, $0.value) }, uniquingKeysWith: { first, _ in first })
            let nowFigures = Dictionary((after?.figures ?? []).map { ($0.pointer, $0.value) }, uniquingKeysWith: { first, _ in first })
            let pointers = merged((after?.figures ?? []).map(\.pointer), (before?.figures ?? []).map(\.pointer))
            return pointers.compactMap { pointer in
                let was = thenFigures[pointer], reads = nowFigures[pointer]
                let thenValue = was ?? absent(besides: reads!), nowValue = reads ?? absent(besides: was!)
                return thenValue == nowValue ? nil : Change(readModel: readModel, row: identity, figure: pointer, then: thenValue, now: nowValue)
            }
        }
    }

    /// What an answer that leaves a member out means by it, judged from the other side's value:
    /// a count (exact, or published as `"<5"`) reads 0, a flag false, anything else (a rate, a
    /// median, a name) is absent.
    static func absent(besides value: JSONValue) -> JSONValue {
        switch value {
        case .integer, .string("<5"): .integer(0)
        case .bool: .bool(false)
        default: .null
        }
    }

    /// `first`, with each key only `second` has placed after the key it follows there: both
    /// lists are in their answer's order, which is the same order.
    static func merged(_ first: [String], _ second: [String]) -> [String] {
        var result = first
        var present = Set(first)
        var position = 0  // where the next key of `second` goes: after the last one found
        for key in second {
            if present.contains(key) {
                position = result.firstIndex(of: key)! + 1
            } else {
                result.insert(key, at: position)
                present.insert(key)
                position += 1
            }
        }
        return result
    }
}

extension ReadModels {
    /// The figures that read differently known at `changes`' earlier reading and at its later
    /// one: the caseload as of its date, and retention, partner activity and the programme's
    /// timeline for `period` (by default from the start of the financial year of that date to
    /// the date itself, so that every figure is as of it).
    /// - Throws: ``LedgerError`` `usage` when `period` does not end on the changes' date: the
    ///   events listed are those dated by it, and a figure of a later day could move for others.
    public func figureChanges(_ changes: RecordChanges, period: Period?, publish: Bool) throws(LedgerError) -> FigureChanges {
        let asOf = changes.asOf
        let compared: Period
        if let period { compared = period } else { compared = try Self.yearToDate(asOf) }
        guard compared.to == asOf else {
            throw LedgerError(.usage, "the period \(compared) ends on \(compared.to), not on \(asOf), the date the changes are as of")
        }
        // A reading of the empty log knows nothing: an instant before any event was recorded.
        let beforeAnything = Instant(microseconds: 0)
        func answers(_ head: LogHead) throws(LedgerError) -> [String: [FigureChanges.Row]] {
            var query = QueryOptions(asOf: asOf, knownAt: head.recordedAt ?? beforeAnything, period: compared)
            query.publish = publish
            let metadata: Set<String> = ["asOf", "knownAt", "period", "from", "to", "by", "horizons"]
            return [
                "caseload": FigureChanges.Row.totals(of: try caseload(query).json(publish: publish), leaving: metadata.union(["cases"])),
                "retention": FigureChanges.Row.rows(of: try retention(query).json(publish: publish), in: "cohorts", identifiedBy: ["cohort", "group"]),
                "partners": FigureChanges.Row.rows(of: try partners(query).json(publish: publish), in: "partners", identifiedBy: ["partnerId"]),
                "programme": FigureChanges.Row.rows(of: try programme(period: compared, knownAt: query.knownAt).json(publish: publish),
                                                    in: "months", identifiedBy: ["month"], leaving: ["organisationalEvents"]),
            ]
        }
        let then = try answers(changes.then), now = try answers(changes.now)
        let differences = ["caseload", "retention", "partners", "programme"].flatMap { model in
            FigureChanges.compare(model, then: then[model] ?? [], now: now[model] ?? [])
        }
        return FigureChanges(asOf: asOf, period: compared, publish: publish, changes: differences)
    }

    /// From the start of the financial year that holds `date` to `date` itself: the whole
    /// year (`2023-24`) when `date` is its last day.
    static func yearToDate(_ date: LocalDate) throws(LedgerError) -> Period {
        let year = defaultPeriod(containing: date)
        return year.to == date ? year : try Period("\(year.from)..\(date)")
    }
}
