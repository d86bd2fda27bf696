extension ReportTable {
    /// What heads a breakdown (``Layout/breakdown(_:by:head:_:)``), before its columns of single counts.
    public enum BreakdownHead: Sendable {
        /// The counts' total, a column of its own for a person and in the CSV.
        case total
        /// The counts in one cell (`placed 3, withdrew 1`), for a person only.
        case inWords
        /// Nothing: the count it breaks down is a column of its own already.
        case none
    }

    /// A table's columns, each with how a row fills it, so that a header and its cells cannot
    /// drift apart as columns are added.
    public struct Layout<Row> {
        private var table: ReportTable
        private var cells: [(Row) -> [String]] = []
        private let figure: Figure

        /// A layout whose counts `figure` writes (exact, or published).
        public init(title: String, figure: Figure) {
            table = ReportTable(title: title, columns: [])
            self.figure = figure
        }

        /// A column for a person and in the CSV.
        public mutating func column(_ name: String, _ cell: @escaping (Row) -> String) {
            table.columns.append(name)
            cells.append { [cell($0)] }
        }

        /// A column of a count, published as every count is.
        public mutating func count(_ name: String, _ value: @escaping (Row) -> Int) {
            column(name) { [figure] in figure.cell(value($0)) }
        }

        /// A breakdown of `name` by each of `values`: its head, then in the CSV alone a column
        /// for each value, `name.value` as the JSON's path to it reads, zeros included, each
        /// published on its own as the JSON's counts are. A value not in `values` counts only
        /// in the head.
        public mutating func breakdown(_ name: String, by values: [String], head: BreakdownHead = .total,
                                       _ counts: @escaping (Row) -> [String: Int]) {
            if head == .inWords { table.personOnly.insert(table.columns.count) }
            if head != .none { table.columns.append(name) }
            for value in values {
                table.spreadsheetOnly.insert(table.columns.count)
                table.columns.append("\(name).\(value)")
            }
            cells.append { [figure] row in
                let counts = counts(row)
                let single = values.map { figure.cell(counts[$0] ?? 0) }
                switch head {
                case .total: return [figure.cell(counts.values.reduce(0, +))] + single
                case .inWords: return [figure.cell(counts, none: ReportTable.missing)] + single
                case .none: return single
                }
            }
        }

        /// The table of `rows`, with `footer` under it.
        public func table(_ rows: some Sequence<Row>, footer: [String] = []) -> ReportTable {
            var table = table
            table.rows = rows.map { row in cells.flatMap { $0(row) } }
            table.footer = footer
            return table
        }
    }
}
