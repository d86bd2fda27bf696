internal import CareLedger
internal import Foundation
internal import NIOCore
internal import SpreadsheetRows

/// What the `/record` page's form sends: the event type, the button pressed, and the rows, pasted
/// into its text box or chosen as a file. A browser posts it as `multipart/form-data` (the form
/// carries a file input); `application/x-www-form-urlencoded` is read too, for a form without
/// the file and for `curl --data-urlencode`.
struct RecordForm: Sendable {
    var type: String?
    var action: String?
    /// The chosen file's text when a file came with content, else the text box's.
    var rows: String
    /// The file chosen and its sheets, as the page tells of them again.
    var chosen = ChosenFile()
    /// A chosen workbook's rows as read, each with its row number in the sheet: what is checked
    /// or recorded, rather than ``rows`` read back, where a cell holding a line break pushes
    /// the rows after it down a line and refusals would name the wrong rows.
    var sheetRows: CSVRows?
    /// Why the chosen file could not be read (not a workbook or UTF-8 text, no sheet of the name
    /// given): the page says so with the rest of the form as it was sent.
    var fileProblem: LedgerError?
    /// The return these rows correct, recorded before (``ReturnReplacement``): its file's rows as
    /// CSV text, or its box's; empty when the rows replace nothing.
    var earlierRows = ""
    /// The earlier return's file name, when it came as one (then, or on an earlier post).
    var earlierName: String?
    /// The earlier return's sheet, as typed: blank for the sheet named for the rows' file (two
    /// returns of one template), else the first.
    var earlierSheet = ""
    /// Why the earlier return's rows that these no longer have are retracted, as typed.
    var reason = ""

    /// A chosen file as the page tells of it: its name, the sheet named in the form (kept, so
    /// that choosing the file again to record it reads the same sheet), and a workbook's sheets.
    struct ChosenFile: Sendable {
        /// The file's name, when its content became ``RecordForm/rows``; `nil` for rows pasted.
        var name: String?
        /// The sheet field as sent, trimmed.
        var sheet = ""
        /// A workbook's sheets, offered in the sheet field (the drop-downs' `Choices` left out).
        var sheetNames: [String] = []
        /// Which sheet of a workbook was read, when it has others (``Workbook/Sheet/otherSheets(of:)``).
        var otherSheets: String?
    }

    /// A chosen file that is a workbook, read after the form's parts by a ``SheetReader``.
    private struct PendingWorkbook: Sendable {
        var bytes: [UInt8]
        var name: String
        var sheet: String
    }
    /// The earlier return's file, when it is a workbook.
    private var pendingEarlier: PendingWorkbook?
    /// The rows' file, when it is a workbook.
    private var pendingFile: PendingWorkbook?

    /// Reads `body` by its `Content-Type`, its parts on NIO's thread pool and a chosen
    /// workbook's sheet by `sheets`.
    /// - Throws: ``LedgerError`` `rejected` for a multipart body without its boundary, or one
    ///   that cannot be read as parts.
    static func read(body: ByteBuffer, contentType: String?, sheets: SheetReader) async throws -> RecordForm {
        var form = try await blocking { try RecordForm(body: body, contentType: contentType) }
        if let earlier = form.pendingEarlier {
            do {
                form.earlierRows = Workbook.csvText(of: try await sheets.sheet(of: earlier.bytes, source: earlier.name, named: earlier.sheet.isEmpty ? nil : earlier.sheet).rows)
                form.earlierName = earlier.name
            } catch let error as LedgerError {
                // Unless the rows' file, read after it, had a problem of its own.
                if form.fileProblem == nil { form.fileProblem = error }
            }
        }
        if let file = form.pendingFile {
            do {
                form.take(try await sheets.sheet(of: file.bytes, source: file.name, named: file.sheet.isEmpty ? nil : file.sheet), named: file.name)
            } catch let error as LedgerError {
                form.fileProblem = error
            }
        }
        form.pendingEarlier = nil
        form.pendingFile = nil
        return form
    }

    /// Reads `body` by its `Content-Type`, a chosen workbook left for ``read(body:contentType:sheets:)``.
    /// - Throws: ``LedgerError`` `rejected` for a multipart body without its boundary, or one
    ///   that cannot be read as parts.
    private init(body: ByteBuffer, contentType: String?) throws(LedgerError) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            let fields = Self.urlEncodedFields(String(buffer: body))
            self.init(type: fields["type"], action: fields["action"], rows: fields["rows"] ?? "")
            earlierRows = fields["earlierRows"] ?? ""
            earlierName = fields["earlierName"].flatMap { $0.isEmpty ? nil : $0 }
            reason = fields["reason"] ?? ""
            return
        }
        guard let boundary = Self.parameter("boundary", of: contentType) else {
            throw LedgerError(.rejected, "the form's Content-Type, multipart/form-data, names no boundary")
        }
        let parts = try Self.multipartParts(body, boundary: boundary)
        self.init(type: parts["type"]?.text, action: parts["action"]?.text, rows: parts["rows"]?.text ?? "")
        chosen.sheet = parts["sheet"]?.text.trimmingCharacters(in: .whitespaces) ?? ""
        earlierRows = parts["earlierRows"]?.text ?? ""
        // The earlier file's name, kept by the page once its rows are in their box.
        earlierName = parts["earlierName"].flatMap { $0.text.isEmpty ? nil : $0.text }
        reason = parts["reason"]?.text ?? ""
        earlierSheet = parts["earlierSheet"]?.text.trimmingCharacters(in: .whitespaces) ?? ""
        if let earlier = parts["earlierFile"], !earlier.body.isEmpty {
            let name = Self.parameter("filename", of: earlier.disposition).flatMap { $0.isEmpty ? nil : $0 } ?? "the earlier file"
            // A workbook's sheet named for it, else the one named for the rows, else the first.
            if Workbook.isWorkbook(earlier.body) {
                pendingEarlier = PendingWorkbook(bytes: earlier.body, name: name, sheet: earlierSheet.isEmpty ? chosen.sheet : earlierSheet)
            } else {
                do {
                    earlierRows = try CSVRows.text(of: earlier.body, named: name)
                    earlierName = name
                } catch {
                    fileProblem = error
                }
            }
        }
        guard let file = parts["file"], !file.body.isEmpty else { return }
        let name = Self.parameter("filename", of: file.disposition).flatMap { $0.isEmpty ? nil : $0 } ?? "the file"
        do {
            try read(file.body, named: name)
        } catch {
            fileProblem = error
        }
    }

    /// Takes the rows of the file chosen, `bytes`, in place of the box's: CSV text now, a
    /// workbook once read (``take(_:named:)``).
    private mutating func read(_ bytes: [UInt8], named name: String) throws(LedgerError) {
        guard Workbook.isWorkbook(bytes) else {
            rows = try CSVRows.text(of: bytes, named: name)
            chosen.name = name
            return
        }
        pendingFile = PendingWorkbook(bytes: bytes, name: name, sheet: chosen.sheet)
    }

    /// Takes a chosen workbook's sheet (the one named, else the first) in place of the box's
    /// rows, as CSV whose line N is the sheet's row N.
    private mutating func take(_ sheet: Workbook.Sheet, named name: String) {
        rows = Workbook.csvText(of: sheet.rows)
        sheetRows = sheet.rows
        chosen = ChosenFile(name: name, sheet: chosen.sheet, sheetNames: sheet.sheetsOfRows,
                            otherSheets: chosen.sheet.isEmpty ? sheet.otherSheets(of: name) : nil)
    }

    init(type: String?, action: String?, rows: String) {
        self.type = type
        self.action = action
        self.rows = rows
    }

    /// One part of a multipart form: its `Content-Disposition` header and its bytes.
    struct Part {
        var disposition: String
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The parts of a `multipart/form-data` body by the names their inputs give them.
    static func multipartParts(_ body: ByteBuffer, boundary: String) throws(LedgerError) -> [String: Part] {
        var parts: [String: Part] = [:]
        for part in try MultipartForm(Array(buffer: body), boundary: boundary).parts {
            let disposition = part.headers["content-disposition"] ?? ""
            if let name = parameter("name", of: disposition) { parts[name] = Part(disposition: disposition, body: part.body) }
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
