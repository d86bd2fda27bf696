internal import CareLedger

/// A read model's answer for a person (aligned columns with a totals line) or for a
/// spreadsheet (CSV, RFC 4180).
public struct ReportTable: Sendable {
    /// What the table shows, printed above it.
    public var title: String
    public var columns: [String]
    public var rows: [[String]]
    /// Lines printed under the table: totals and notes.
    public var footer: [String]
    /// The columns only a person's table shows: a breakdown in one cell (`placed 3, withdrew 1`),
    /// which the CSV has as columns of their own instead.
    public var personOnly: Set<Int> = []
    /// The columns only the CSV has: a count for each value of an enumeration
    /// (`casesClosed.placed`), which a spreadsheet sums and filters, and which would make a
    /// person's table too wide to read. See ``Layout``.
    public var spreadsheetOnly: Set<Int> = []

    /// The cell of a value that is absent (a case with no window, a rate over no one): `-` in a
    /// table for a person, an empty field in CSV, so that a spreadsheet's numeric column stays
    /// numeric. A control character, so that no id or enumeration value can be mistaken for it.
    public static let missing = "\u{1F}"

    public init(title: String, columns: [String], rows: [[String]] = [], footer: [String] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.footer = footer
    }

    /// The table as aligned text; numeric columns are right-aligned.
    public var text: String {
        let shown = columns.indices.filter { !spreadsheetOnly.contains($0) }
        let columns = shown.map { self.columns[$0] }
        let rows = rows.map { row in shown.map { $0 < row.count ? row[$0] : "" }.map { $0 == Self.missing ? "-" : TerminalText.visible($0) } }
        var widths = columns.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        let numeric = columns.indices.map { i in !rows.isEmpty && rows.allSatisfy { i < $0.count && Self.looksNumeric($0[i]) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return numeric[i] ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        var out = [TerminalText.visible(title), line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map(line)
        if rows.isEmpty { out.append("(none)") }
        out += footer.map { TerminalText.visible($0.replacingOccurrences(of: Self.missing, with: "-")) }
        return out.joined(separator: "\n") + "\n"
    }

    /// The table as CSV: a header line, then one line per row, each cell ``inert(_:)``.
    public var csv: String {
        let shown = columns.indices.filter { !personOnly.contains($0) }
        return ([columns] + rows).map { row in
            shown.map { $0 < row.count ? row[$0] : "" }.map { $0 == Self.missing ? "" : CSVRows.quoted(Self.inert($0)) }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    /// A cell that a spreadsheet program would take for a formula, text beginning `=`, `+`, `-`,
    /// `@`, a tab or a carriage return (a partner's name or a reason as a writer sent it), begun
    /// with an apostrophe, which marks it as text: opening a download must not run a formula that
    /// someone recorded ("CSV injection"). A number, a negative one included, is left as it is.
    static func inert(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(cell) == nil else { return cell }
        return "'" + cell
    }

    private static func looksNumeric(_ text: String) -> Bool {
        !text.isEmpty && (text == "-" || text == "<5" || Double(text) != nil)
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
