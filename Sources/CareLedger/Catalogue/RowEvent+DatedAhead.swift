internal import LedgerJSON

extension EventCatalogue.Entry.RowEvent {
    /// The note on the rows of `rows` dated after today's next day, named by their lines (see
    /// ``DatedAhead``), or `nil` when none is: what `record --rows --show` says, where no
    /// ledger checks the rows.
    public static func datedAheadNote(_ rows: [Self], today: LocalDate) -> String? {
        var ahead = DatedAhead(today: today)
        for row in rows {
            guard let text = row.event["occurredOn"]?.stringValue, let day = LocalDate(text) else { continue }
            ahead.add(day, at: .inBatch(.line(row.line)))
        }
        return ahead.note
    }
}
