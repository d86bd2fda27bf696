public import CareLedger
internal import LedgerJSON

/// A workbook's sheet, or why it could not be read, as one process writes it for another: the
/// server reads a posted workbook in a child process of its own (`careledger workbook-sheet`),
/// so that a file that stops the XML parser, or any reader, stops that child and not every
/// request the server is answering.
///
/// JSON, written and read by this type alone: `{"sheet": {"name", "names", "header", "rows"}}`,
/// each row `[line, field, …]`, or `{"error": {"code", "rule", "line" or "index", "pointer"}}`.
public enum SheetMessage {
    /// The message for a sheet read.
    public static func bytes(of sheet: Workbook.Sheet) -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.writeRaw("{\"sheet\":{\"header\":")
        write(sheet.rows.header, to: &writer)
        writer.writeRaw(",\"name\":")
        writer.writeString(sheet.name)
        writer.writeRaw(",\"names\":[")
        for (index, name) in sheet.names.enumerated() {
            if index > 0 { writer.writeRaw(",") }
            writer.writeString(name)
        }
        writer.writeRaw("],\"rows\":[")
        for (index, row) in sheet.rows.rows.enumerated() {
            if index > 0 { writer.writeRaw(",") }
            write(row, to: &writer)
        }
        writer.writeRaw("]}}")
        return writer.bytes
    }

    /// The message for a sheet that could not be read, as its reader refused it.
    public static func bytes(of error: LedgerError) -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.writeRaw("{\"error\":{\"code\":")
        writer.writeString(error.code.description)
        switch error.location {
        case .index(let index)?:
            writer.writeRaw(",\"index\":")
            writer.writeInteger(index)
        case .line(let line)?:
            writer.writeRaw(",\"line\":")
            writer.writeInteger(line)
        case nil: break
        }
        if let pointer = error.pointer {
            writer.writeRaw(",\"pointer\":")
            writer.writeString(pointer)
        }
        writer.writeRaw(",\"rule\":")
        writer.writeString(error.rule)
        writer.writeRaw("}}")
        return writer.bytes
    }

    private static func write(_ row: CSVRows.Row, to writer: inout CanonicalJSONWriter) {
        writer.writeRaw("[")
        writer.writeInteger(row.line)
        for field in row.fields {
            writer.writeRaw(",")
            writer.writeString(field)
        }
        writer.writeRaw("]")
    }

    /// What a message says: the sheet, or the reader's refusal, thrown as it was made.
    /// - Throws: that refusal; or, for bytes that are no such message, ``Unreadable``.
    public static func sheet(from bytes: [UInt8]) throws -> Workbook.Sheet {
        var document = JSONDocument()
        do { try document.parse(bytes) } catch { throw Unreadable(reason: "not JSON (\(error))") }
        let root = document.root
        guard document.kind(root) == .object else { throw Unreadable(reason: "not an object") }
        if let refusal = document.member(root, named: "error") {
            throw try error(document, refusal)
        }
        guard let sheet = document.member(root, named: "sheet"), document.kind(sheet) == .object,
              let name = document.member(sheet, named: "name").flatMap({ string(document, $0) }),
              let names = document.member(sheet, named: "names").flatMap({ strings(document, $0) }),
              let header = document.member(sheet, named: "header").flatMap({ row(document, $0) }),
              let rowsArray = document.member(sheet, named: "rows"), document.kind(rowsArray) == .array
        else { throw Unreadable(reason: "neither a sheet nor an error") }
        var rows: [CSVRows.Row] = []
        rows.reserveCapacity(document.count(rowsArray))
        for element in document.elements(rowsArray) {
            guard let row = row(document, element) else { throw Unreadable(reason: "a row is not [line, field, …]") }
            rows.append(row)
        }
        return Workbook.Sheet(name: name, names: names, rows: CSVRows(header: header, rows: rows))
    }

    private static func error(_ document: JSONDocument, _ object: Int) throws(Unreadable) -> LedgerError {
        guard document.kind(object) == .object,
              let code = document.member(object, named: "code").flatMap({ string(document, $0) }).flatMap(LedgerError.Code.init(named:)),
              let rule = document.member(object, named: "rule").flatMap({ string(document, $0) })
        else { throw Unreadable(reason: "an error without its code and rule") }
        let location: EventLocation?
        if let line = document.member(object, named: "line").flatMap({ document.integer($0) }) {
            location = .line(Int(line))
        } else if let index = document.member(object, named: "index").flatMap({ document.integer($0) }) {
            location = .index(Int(index))
        } else {
            location = nil
        }
        let pointer = document.member(object, named: "pointer").flatMap { string(document, $0) }
        return LedgerError(code, rule, location: location, pointer: pointer)
    }

    private static func string(_ document: JSONDocument, _ index: Int) -> String? {
        document.kind(index) == .string ? document.string(index) : nil
    }

    private static func strings(_ document: JSONDocument, _ array: Int) -> [String]? {
        guard document.kind(array) == .array else { return nil }
        var strings: [String] = []
        for element in document.elements(array) {
            guard let text = string(document, element) else { return nil }
            strings.append(text)
        }
        return strings
    }

    private static func row(_ document: JSONDocument, _ array: Int) -> CSVRows.Row? {
        guard document.kind(array) == .array else { return nil }
        var elements = document.elements(array)
        guard let first = elements.next(), let line = document.integer(first), line > 0 else { return nil }
        var fields: [String] = []
        while let element = elements.next() {
            guard let field = string(document, element) else { return nil }
            fields.append(field)
        }
        return CSVRows.Row(line: Int(line), fields: fields)
    }

    /// Bytes that are no message of this type: a reader that stopped part-way through writing one.
    public struct Unreadable: Error, Sendable {
        public let reason: String
    }
}
