public import CareLedger
public import ProjectionKit

extension RecordChanges {
    /// The events for a person (`careledger changes`) or a spreadsheet (`--csv`, and
    /// `GET /v1/changes?format=csv`): a line an event, with why it is listed.
    public var table: ReportTable {
        var table = ReportTable(
            title: "Recorded since \(then.digestLine)\(then.recordedAt.map { " (\($0))" } ?? ""), up to \(now.digestLine)\(now.recordedAt.map { " (\($0))" } ?? ""), changing figures as of \(asOf)",
            columns: ["seq", "recordedAt", "occurredOn", "type", "stream", "why", "summary"])
        table.rows = entries.map { entry in
            [entry.seq.description, entry.recordedAt.description, entry.occurredOn.description, entry.type.rawValue, entry.stream,
             why(entry), entry.summary]
        }
        table.footer = [verdict]
        return table
    }
}
