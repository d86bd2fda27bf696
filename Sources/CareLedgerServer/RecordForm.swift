internal import CareLedger
internal import Foundation
internal import MultipartKit
internal import NIOCore
internal import SpreadsheetRows

/// What the `/record` page's form sends: the event type, the button pressed, and the rows, pasted
/// into its text box or chosen as a file. A browser posts it as `multipart/form-data` (the form
/// carries a file input); `application/x-www-form-urlencoded` is read too, for a form without
/// the file and for `curl --data-urlencode`.
struct RecordForm {
    var type: String?
    var action: String?
    /// The chosen file's text when a file came with content, else the text box's.
    var rows: String
    /// The chosen file's name, when its content became ``rows``.
    var fileName: String?
    /// Which sheet of a chosen workbook was read, when it has others (``Workbook/Sheet/otherSheets(of:)``).
    var otherSheets: String?
    /// A chosen workbook's rows as read, each with its row number in the sheet: what is checked
    /// or recorded, rather than ``rows`` read back, where a cell holding a line break pushes
    /// the rows after it down a line and refusals would name the wrong rows.
    var sheetRows: CSVRows?

    /// Reads `body` by its `Content-Type`.
    /// - Throws: ``LedgerError`` `rejected` for a multipart body without its boundary, or one
    ///   that cannot be read as parts.
    init(body: ByteBuffer, contentType: String?) throws(LedgerError) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            let fields = Self.urlEncodedFields(String(buffer: body))
            self.init(type: fields["type"], action: fields["action"], rows: fields["rows"] ?? "", fileName: nil)
            return
        }
        guard let boundary = Self.parameter("boundary", of: contentType) else {
            throw LedgerError(.rejected, "the form's Content-Type, multipart/form-data, names no boundary")
        }
        let parts = try Self.multipartParts(body, boundary: boundary)
        let file = parts["file"]
        let fileName = file.flatMap { Self.parameter("filename", of: $0.disposition) }
        if let file, !file.body.isEmpty {
            let name = fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "the file"
            let bytes = file.body
            // A workbook's sheet (the one named, else the first), as CSV whose line N is the sheet's row N.
            let wanted = parts["sheet"]?.text.trimmingCharacters(in: .whitespaces)
            if Workbook.isWorkbook(bytes) {
                let sheet = try Workbook.sheet(of: bytes, source: name, named: wanted.flatMap { $0.isEmpty ? nil : $0 })
                self.init(type: parts["type"]?.text, action: parts["action"]?.text, rows: Workbook.csvText(of: sheet.rows), fileName: name)
                otherSheets = wanted?.isEmpty == false ? nil : sheet.otherSheets(of: name)
                sheetRows = sheet.rows
                return
            }
            self.init(type: parts["type"]?.text, action: parts["action"]?.text, rows: try CSVRows.text(of: bytes, named: name), fileName: name)
        } else {
            self.init(type: parts["type"]?.text, action: parts["action"]?.text, rows: parts["rows"]?.text ?? "", fileName: nil)
        }
    }

    init(type: String?, action: String?, rows: String, fileName: String?) {
        self.type = type
        self.action = action
        self.rows = rows
        self.fileName = fileName
    }

    /// One part of a multipart form: its `Content-Disposition` header and its bytes.
    struct Part {
        var disposition: String
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The parts of a `multipart/form-data` body by the names their inputs give them.
    static func multipartParts(_ body: ByteBuffer, boundary: String) throws(LedgerError) -> [String: Part] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [String: Part] = [:]
        var current = Part(disposition: "", body: [])
        parser.onHeader = { name, value in
            if name.lowercased() == "content-disposition" { current.disposition = value }
        }
        parser.onBody = { chunk in current.body += chunk.readableBytesView }
        parser.onPartComplete = {
            if let name = parameter("name", of: current.disposition) { parts[name] = current }
            current = Part(disposition: "", body: [])
        }
        do {
            try parser.execute(body)
        } catch {
            throw LedgerError(.rejected, "the form could not be read as multipart/form-data (\(error))")
        }
        return parts
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func urlEncodedFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String { String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            fields[decoded(parts[0])] = parts.count > 1 ? decoded(parts[1]) : ""
        }
        return fields
    }

    /// The value of `name=value` or `name="value"` among a header's `;`-separated parameters.
    static func parameter(_ name: String, of header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            return value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }
}
