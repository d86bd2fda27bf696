internal import Foundation

/// The rows of a CSV file (RFC 4180) as a spreadsheet exports them: fields separated by commas,
/// a field in double quotes when it holds a comma, a quote (written twice) or a line break; lines
/// ending in CRLF or LF; a UTF-8 byte order mark at the start ignored. Cells copied from a
/// spreadsheet and pasted come separated by tabs instead, and a spreadsheet set to a European
/// locale separates them by semicolons: the header's line says which (see ``separator(of:)``).
///
/// Provider returns come as spreadsheets: `careledger record TYPE --rows FILE` makes each row
/// an event. Each row keeps the line it starts on, so a refusal names the line a person sees in
/// a text editor, even after a quoted field that runs over several lines.
public struct CSVRows: Sendable {
    /// One row: the line it starts on (1 for the header) and its fields, unquoted.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The row that names the columns: the first that names `occurredOn` (see ``headerIndex(in:)``).
    public let header: Row
    /// Every row after the header with anything in it, in order (a spreadsheet's rows of empty
    /// cells, `,,,`, are left out).
    public let rows: [Row]

    /// Rows read from elsewhere (a workbook's sheet), each keeping the line, or row number, a
    /// person finds it at.
    public init(header: Row, rows: [Row]) {
        self.header = header
        self.rows = rows
    }

    /// A field as RFC 4180 writes it: in quotes, its quotes doubled, when it holds a comma, a
    /// quote or a line break. Read by its scalars: `"\r\n"` is one `Character`, equal to neither
    /// `"\r"` nor `"\n"`, and a cell holding one was written unquoted, breaking its row in two.
    public static func quoted(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        var quoted = "\""
        for character in field.unicodeScalars {
            if character == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "\""
    }

    /// The letters a spreadsheet names the column at `index` (from 0) by: A to Z, then AA, AB…:
    /// what a person looks for along the sheet's top edge.
    public static func columnLetters(_ index: Int) -> String {
        var letters = "", rest = index + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
            rest = (rest - 1) / 26
        }
        return letters
    }

    /// Whether `bytes` begin as an OLE compound file does: an Excel 97-2003 `.xls` workbook.
    static func isOldWorkbook(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    /// The text of a CSV file's `bytes`, without a byte order mark: what the rows are read from,
    /// and what the `/record` page shows of a file in its box.
    /// - Parameter name: the file in refusals.
    /// - Throws: ``LedgerError`` `rejected` for another kind of document (an old `.xls`
    ///   workbook, a web page, XML, a PDF, JSON; see ``otherDocument(_:named:)``), or bytes that
    ///   are not UTF-8.
    public static func text(of bytes: [UInt8], named name: String) throws(LedgerError) -> String {
        if let refusal = otherDocument(bytes, named: name) { throw refusal }
        if let utf16 = try utf16Text(of: bytes, named: name) { return utf16 }
        guard let text = String(validating: FileLineReader.startsWithByteOrderMark(bytes) ? bytes.dropFirst(3) : bytes[...], as: UTF8.self) else {
            throw LedgerError(.rejected, "\(name) is not UTF-8 text: save it from the spreadsheet as .xlsx or .ods, or as \"CSV UTF-8\"")
        }
        return text
    }

    /// The text of `bytes` that begin with UTF-16's byte order mark, as Excel saves "Unicode
    /// Text" (little-endian, tab-separated); `nil` for bytes without one.
    /// - Throws: ``LedgerError`` `rejected` for bytes after the mark that are not UTF-16.
    package static func utf16Text(of bytes: [UInt8], named name: String) throws(LedgerError) -> String? {
        guard bytes.count >= 2, let littleEndian = [[0xFF, 0xFE]: true, [0xFE, 0xFF]: false][Array(bytes.prefix(2))] else { return nil }
        let body = bytes.dropFirst(2)
        guard body.count % 2 == 0 else { throw LedgerError(.rejected, "\(name) is not UTF-16 text, though it begins as UTF-16 does: it ends in half a character") }
        let units = stride(from: body.startIndex, to: body.endIndex, by: 2).map { index in
            littleEndian ? UInt16(body[index]) | UInt16(body[index + 1]) << 8 : UInt16(body[index]) << 8 | UInt16(body[index + 1])
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw LedgerError(.rejected, "\(name) is not UTF-16 text, though it begins as UTF-16 does: save it from the spreadsheet as .xlsx or .ods, or as \"CSV UTF-8\"")
        }
        return text
    }

    /// Reads `bytes` whole.
    /// - Parameter source: the file's name in refusals of the whole file.
    /// - Throws: ``LedgerError`` `rejected`, naming the line: text that is not UTF-8, a quote
    ///   left open, text after a closing quote, a row of more fields than the header, or no
    ///   header at all; or naming the file, another kind of document.
    public init(_ bytes: [UInt8], source: String = "the file") throws(LedgerError) {
        let text = try Self.text(of: bytes, named: source)
        var all: [Row] = []
        var fields: [String] = [], field = "", line = 1, rowLine = 1
        var quoted = false, afterQuote = false, quoteLine = 1
        func endRow() {
            fields.append(field)
            if fields.contains(where: { !$0.isEmpty }) { all.append(Row(line: rowLine, fields: fields)) }
            fields = []
            field = ""
            afterQuote = false
        }
        let separator = Self.separator(of: text)
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? characters.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.unicodeScalars.append("\""); continue }
                        pending = next
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case separator:
                fields.append(field)
                field = ""
                afterQuote = false
                guard fields.count < Self.mostColumns else {
                    throw LedgerError(.rejected, "this line has more than \(Self.mostColumns) fields, more columns than a spreadsheet holds: is it a return's rows, and is its separator \(Self.separatorName(separator))?", location: .line(rowLine))
                }
            case "\r":
                if let next = characters.next(), next != "\n" { pending = next }
                endRow()
                line += 1
                rowLine = line
            case "\n":
                endRow()
                line += 1
                rowLine = line
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                quoteLine = line
            default:
                guard !afterQuote else {
                    throw LedgerError(.rejected, "text after a field's closing quote: a quote inside a quoted field is written twice (\"\")", location: .line(line))
                }
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw LedgerError(.rejected, "a quoted field is never closed: its quote opens here", location: .line(quoteLine)) }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRow() }
        guard !all.isEmpty else { throw LedgerError(.rejected, "the file holds no rows: its first line names the columns") }
        let header = all[Self.headerIndex(in: all)]
        let rows = all.drop { $0.line <= header.line }
        for row in rows where row.fields.count > header.fields.count {
            throw LedgerError(.rejected, "this row has \(row.fields.count) fields and the header names \(header.fields.count) columns", location: .line(row.line))
        }
        self.header = header
        self.rows = Array(rows)
    }

    /// The separator of `text`'s fields. The header says: a tab when the first line with a cell
    /// `occurredOn` holds it between tabs (cells pasted from a spreadsheet), a comma when between
    /// commas, a semicolon when between semicolons (CSV as a spreadsheet set to a European locale
    /// saves it), so that a title or note above the header, in whatever shape, says nothing.
    /// Without such a line, the first line holding a tab or a comma says, and a comma is the default.
    /// Read by scalars: a CRLF line's `"\r\n"` is one Character, and read by Characters the first
    /// line ran to the end of the file, where any tab in a cell made a CSV file tab-separated.
    static func separator(of text: String) -> Unicode.Scalar {
        var firstSaid: Unicode.Scalar? = nil
        var scalars = text.unicodeScalars[...]
        while !scalars.isEmpty {
            let line = scalars.prefix { $0 != "\n" && $0 != "\r" }
            for separator: Unicode.Scalar in ["\t", ",", ";"] where line.contains(separator) {
                if cells(of: line, by: separator).contains(where: namesOccurredOn) { return separator }
                if separator != ";" { firstSaid = firstSaid ?? separator }
            }
            scalars = scalars[line.endIndex...].drop { $0 == "\n" || $0 == "\r" }
        }
        return firstSaid ?? ","
    }

    /// The cells of `line` between `separator`s, each made as it is looked at: a line of
    /// sixteen million commas was split whole, half a gigabyte of cells, before one was looked at.
    private static func cells(of line: Substring.UnicodeScalarView, by separator: Unicode.Scalar) -> some Sequence<Substring.UnicodeScalarView> {
        var rest: Substring.UnicodeScalarView? = line
        return AnyIterator {
            guard let remaining = rest else { return nil }
            guard let end = remaining.firstIndex(of: separator) else {
                rest = nil
                return remaining
            }
            rest = remaining[remaining.index(after: end)...]
            return remaining[..<end]
        }
    }

    /// Whether a cell, as its line's text holds it (perhaps in quotes, perhaps padded), is `occurredOn`.
    private static func namesOccurredOn(_ cell: Substring.UnicodeScalarView) -> Bool {
        cell.count >= 10 && String(cell).trimmingCharacters(in: CharacterSet.whitespaces.union(["\""])) == "occurredOn"
    }

    /// The most fields a line holds: as many columns as the widest spreadsheet, Excel's and
    /// LibreOffice's 16,384. A line of many more is no return's (a file of sixteen million
    /// commas took a minute and 866 MB to refuse for holding no rows).
    package static let mostColumns = 16_384

    private static func separatorName(_ separator: Unicode.Scalar) -> String {
        switch separator {
        case "\t": "a tab"
        case ";": "a semicolon"
        default: "a comma"
        }
    }

    /// `cell` without the white space (Unicode's, line breaks and the no-break space included)
    /// at its ends; `cell` itself, not copied, when it has none, as nearly every cell has not.
    /// A header's cell is trimmed so too: a line break typed after a column's name is no part of it.
    package static func trimmed(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, first.properties.isWhitespace || last.properties.isWhitespace else { return cell }
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? start
        return start < end ? String(scalars[start..<end]) : ""
    }

    /// Which of a sheet's rows names the columns: the first with a cell `occurredOn`, a column
    /// every sheet of events has, so that a title, a note or a row of labels for people above
    /// the header is not read as its columns (nor as events); with none, the first row, which
    /// the reading of events then refuses for lacking it, naming the columns it found.
    /// A row naming it all but exactly (`Occurred On`, `occuredOn`) comes next, so that the refusal
    /// names that column rather than a title's.
    public static func headerIndex(in rows: [Row]) -> Int {
        rows.firstIndex { $0.fields.contains { trimmed($0) == "occurredOn" } }
            ?? rows.firstIndex { $0.fields.contains { nearlyOccurredOn($0) } }
            ?? 0
    }

    /// Whether a header's cell names `occurredOn` all but exactly: a slip to point out, not a
    /// column to take.
    static func nearlyOccurredOn(_ cell: String) -> Bool {
        let name = trimmed(cell)
        return name.count < 24 && NearestName.suggestion(for: name, among: ["occurredOn"]) != nil
    }
}
