import CareLedger
import Foundation
import SpreadsheetRows

/// What `append` and `import` say of a file that is not events at all: a workbook, a CSV of a
/// return's rows, an old `.xls`, a PDF or a web page, given where NDJSON belongs.
///
/// Read as NDJSON, such a file was refused by its first line, a workbook's shown as the bytes of
/// its archive (`this line begins "PK…"`), and told to list every problem with `--check`, which
/// would list the same one. Said once, of the whole file, with the command that reads it.
enum EventsInput {
    /// How much of a file is looked at: enough for a flat OpenDocument file's root element.
    static let headBytes = 4096

    /// The refusal of `head`, the start of `file` (a path, or `-` or `nil` for standard input),
    /// when it is a document rather than events; `nil` for anything that may be events (JSON,
    /// or text to refuse line by line).
    static func refusal(ofHead head: [UInt8], of file: String?) -> LedgerError? {
        let name = InputFile.name(file)
        let record = "`careledger record TYPE --rows \(ShellWord.quoted(file ?? "-"))` records a spreadsheet's rows as events of TYPE (or of its type column's)"
        if Workbook.isWorkbook(head) {
            let kind = CSVRows.isWebPage(head) ? "a web page, whose tables are read as a workbook's sheets" : "a workbook (\(Workbook.kinds))"
            return LedgerError(.rejected, "\(name) is \(kind), not events written as NDJSON: \(record)")
        }
        if let other = CSVRows.documentInsteadOfEvents(head, named: name) {
            return LedgerError(.rejected, "\(other.rule), then record its rows with `careledger record TYPE --rows FILE` (append and import take events written as NDJSON)")
        }
        let text = String(decoding: head.drop(while: CSVRows.isSpaceOrMark).prefix { $0 != 0x0A }, as: UTF8.self)
        if !text.hasPrefix("{"), !text.hasPrefix("["), text.contains("occurredOn"), text.contains(",") || text.contains("\t") {
            return LedgerError(.rejected, "\(name) is a spreadsheet's rows (its header names occurredOn), not events written as NDJSON: \(record)")
        }
        return nil
    }

    /// The first ``headBytes`` of the file at `path`, or nothing when it cannot be read (the
    /// import then says why, as it opens it), or can be read only once: a pipe, as
    /// `careledger import <(zcat events.ndjson.gz)` names one. What was looked at there would be
    /// gone from the import, which read on from byte 4,097 (in the middle of a line, or at the
    /// start of one, leaving out the events before it) or found no events in a short input.
    static func head(ofFileAt path: String) -> [UInt8] {
        guard WholeFile.regularFileSize(path) != nil, let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: headBytes)) ?? Data())
    }
}
