public import CareLedger

extension ReturnWorkbook {
    /// The `.ods` file of `sheet`: the workbook ``xlsx(_:)`` writes, as OpenDocument, the format
    /// the UK government's open standards name for sharing spreadsheets and the one LibreOffice
    /// saves, for a programme that sends its returns out in it.
    ///
    /// The same sheets, `Return` and `Choices`, and the same formats: the header in bold and
    /// frozen above the rows, a date column as dates (`yyyy-mm-dd`) accepting only dates, a
    /// drop-down of each field's listed values from `Choices`, every other text column as text.
    /// ``Workbook`` reads it back, its example rows as the types' example events.
    public static func ods(_ sheet: RowSheet) -> [UInt8] {
        let choiceColumns = choiceColumns(of: sheet)
        var tables = returnTable(sheet)
        if !choiceColumns.isEmpty { tables += choicesTable(sheet, choiceColumns: choiceColumns) }
        return zipped([
            // First and stored, so that a program knows the file by its first bytes (ODF 1.3 §3.3).
            ("mimetype", OpenDocumentSheet.mediaType),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content(tables: tables, sheet: sheet, choiceColumns: choiceColumns)),
            ("settings.xml", settings),
        ], stored: ["mimetype"])
    }

    /// The names of the cell styles `content` defines.
    private enum CellStyle: String { case header = "ce-header", date = "ce-date", text = "ce-text" }

    /// The default style of a column holding `kind`; `nil` for the spreadsheet's own (a number's).
    private static func cellStyle(of kind: RowColumnKind) -> CellStyle? {
        switch style(of: kind) {
        case .date: .date
        case .text: .text
        case .general, .header: nil
        }
    }

    /// The sheet `Return`: each column's width and default style, the header, the example rows,
    /// and every row below them to a spreadsheet's last taking the columns' checks.
    private static func returnTable(_ sheet: RowSheet) -> String {
        let checks = sheet.kinds.indices.map { validationName(of: $0, in: sheet) }
        var xml = #"<table:table table:name="Return">"#
        for (index, kind) in sheet.kinds.enumerated() {
            let cells = cellStyle(of: kind).map { #" table:default-cell-style-name="\#($0.rawValue)""# } ?? ""
            xml += #"<table:table-column table:style-name="\#(columnStyleName(index))"\#(cells)/>"#
        }
        xml += #"<table:table-header-rows><table:table-row>"#
            + sheet.columns.map { #"<table:table-cell table:style-name="\#(CellStyle.header.rawValue)" office:value-type="string"><text:p>\#(escaped($0))</text:p></table:table-cell>"# }.joined()
            + "</table:table-row></table:table-header-rows>"
        for cells in sheet.rows {
            xml += "<table:table-row>" + zip(zip(cells, sheet.kinds), checks).map { cell($0.0, kind: $0.1, check: $1) }.joined() + "</table:table-row>"
        }
        let blankRows = lastRow - 1 - sheet.rows.count
        xml += #"<table:table-row table:number-rows-repeated="\#(blankRows)">"# + checks.map { check in
            check.map { #"<table:table-cell table:content-validation-name="\#($0)"/>"# } ?? "<table:table-cell/>"
        }.joined() + "</table:table-row>"
        return xml + "</table:table>"
    }

    /// The sheet `Choices`: under each listed field's name, its values.
    private static func choicesTable(_ sheet: RowSheet, choiceColumns: [Int]) -> String {
        let lists = choiceLists(of: sheet, choiceColumns)
        var xml = #"<table:table table:name="\#(choicesSheet)">"#
        for index in lists.indices { xml += #"<table:table-column table:style-name="\#(choicesColumnStyleName(index))"/>"# }
        xml += "<table:table-row>" + choiceColumns.map { #"<table:table-cell table:style-name="\#(CellStyle.header.rawValue)" office:value-type="string"><text:p>\#(escaped(sheet.columns[$0]))</text:p></table:table-cell>"# }.joined() + "</table:table-row>"
        for number in 0..<(lists.map(\.count).max() ?? 0) {
            xml += "<table:table-row>" + lists.map { values in
                number < values.count ? #"<table:table-cell office:value-type="string"><text:p>\#(escaped(values[number]))</text:p></table:table-cell>"# : "<table:table-cell/>"
            }.joined() + "</table:table-row>"
        }
        return xml + "</table:table>"
    }

    /// A cell of an example row: a date as its day, a number or a boolean as such, anything
    /// else (or what does not read as its kind) as text; blank when blank; with its column's check.
    private static func cell(_ text: String, kind: RowColumnKind, check: String?) -> String {
        let checked = check.map { #" table:content-validation-name="\#($0)""# } ?? ""
        guard !text.isEmpty else { return "<table:table-cell\(checked)/>" }
        let shown = "<text:p>\(escaped(text))</text:p></table:table-cell>"
        switch kind {
        case .date where LocalDate(text) != nil:
            return #"<table:table-cell\#(checked) office:value-type="date" office:date-value="\#(text)">"# + shown
        case .wholeNumber where Double(text) != nil, .number where Double(text) != nil:
            return #"<table:table-cell\#(checked) office:value-type="float" office:value="\#(text)">"# + shown
        case .boolean where text == "true" || text == "false":
            return #"<table:table-cell\#(checked) office:value-type="boolean" office:boolean-value="\#(text)">"# + "<text:p>\(text.uppercased())</text:p></table:table-cell>"
        default:
            return #"<table:table-cell\#(checked) office:value-type="string">"# + shown
        }
    }

    /// The check of column `index`, by name: a date's, or a drop-down's; `nil` for none.
    private static func validationName(of index: Int, in sheet: RowSheet) -> String? {
        checkWording(of: index, in: sheet).map { _ in "check-\(column(index))" }
    }

    private static func validations(_ sheet: RowSheet, choiceColumns: [Int]) -> String {
        var xml = ""
        for (index, kind) in sheet.kinds.enumerated() {
            guard let name = validationName(of: index, in: sheet), let (title, message) = checkWording(of: index, in: sheet) else { continue }
            let condition: String
            switch kind {
            case .choice(let values):
                let choices = column(choiceColumns.firstIndex(of: index)!)
                condition = #"of:cell-content-is-in-list([$\#(choicesSheet).$\#(choices)$2:.$\#(choices)$\#(values.count + 1)])"#
            default:
                condition = "of:cell-content-is-date() and cell-content()>1"  // as LibreOffice writes "a date after 1899-12-31"
            }
            xml += #"<table:content-validation table:name="\#(name)" table:condition="\#(escaped(condition))" table:allow-empty-cell="true""#
                + (condition.contains("in-list") ? #" table:display-list="unsorted""# : "")
                + #" table:base-cell-address="Return.\#(column(index))2"><table:error-message table:message-type="stop" table:title="\#(escaped(title))" table:display="true"><text:p>\#(escaped(message))</text:p></table:error-message></table:content-validation>"#
        }
        return xml.isEmpty ? "" : "<table:content-validations>\(xml)</table:content-validations>"
    }

    private static func columnStyleName(_ index: Int) -> String { "co-\(column(index))" }
    private static func choicesColumnStyleName(_ index: Int) -> String { "co-choices-\(column(index))" }

    private static func content(tables: String, sheet: RowSheet, choiceColumns: [Int]) -> String {
        // Widths as the .xlsx gives them, in characters, at a quarter of a centimetre each.
        func centimetres(_ characters: Int) -> String { "\(Double(characters) / 4)cm" }
        var styles = ""
        for index in sheet.columns.indices {
            styles += #"<style:style style:name="\#(columnStyleName(index))" style:family="table-column"><style:table-column-properties style:column-width="\#(centimetres(columnWidth(index, of: sheet)))"/></style:style>"#
        }
        for (index, (column, values)) in zip(choiceColumns, choiceLists(of: sheet, choiceColumns)).enumerated() {
            styles += #"<style:style style:name="\#(choicesColumnStyleName(index))" style:family="table-column"><style:table-column-properties style:column-width="\#(centimetres(width(sheet.columns[column], values)))"/></style:style>"#
        }
        styles += #"<number:date-style style:name="day"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>"#
            + #"<number:text-style style:name="as-text"><number:text-content/></number:text-style>"#
            + #"<style:style style:name="\#(CellStyle.header.rawValue)" style:family="table-cell" style:data-style-name="as-text"><style:text-properties fo:font-weight="bold"/></style:style>"#
            + #"<style:style style:name="\#(CellStyle.date.rawValue)" style:family="table-cell" style:data-style-name="day"/>"#
            + #"<style:style style:name="\#(CellStyle.text.rawValue)" style:family="table-cell" style:data-style-name="as-text"/>"#
        return declaration + #"<office:document-content \#(namespaces) office:version="1.3"><office:automatic-styles>"# + styles
            + "</office:automatic-styles><office:body><office:spreadsheet>" + validations(sheet, choiceColumns: choiceColumns)
            + tables + "</office:spreadsheet></office:body></office:document-content>"
    }

    private static let namespaces = #"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2""#

    private static let manifest = declaration + #"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">"#
        + #"<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="\#(OpenDocumentSheet.mediaType)"/>"#
        + #"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#
        + #"<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/></manifest:manifest>"#

    /// The view LibreOffice opens: `Return`'s first row frozen above the rest.
    ///
    /// LibreOffice reads the set's name, `ooo:view-settings`, as a qualified name: without the
    /// `ooo` namespace declared it takes the set for something else and applies none of it
    /// (`Tools/fixtures/check-frozen-header.py` opens the file in LibreOffice and says).
    private static let settings = declaration
        + #"<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" xmlns:ooo="http://openoffice.org/2004/office" office:version="1.3"><office:settings>"#
        + #"<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>"#
        + #"<config:config-item config:name="ViewId" config:type="string">view1</config:config-item>"#
        + #"<config:config-item-map-named config:name="Tables"><config:config-item-map-entry config:name="Return">"#
        + [("HorizontalSplitMode", "short", 0), ("VerticalSplitMode", "short", 2), ("HorizontalSplitPosition", "int", 0), ("VerticalSplitPosition", "int", 1),
           ("ActiveSplitRange", "short", 2), ("PositionLeft", "int", 0), ("PositionRight", "int", 0), ("PositionTop", "int", 0), ("PositionBottom", "int", 1)]
            .map { #"<config:config-item config:name="\#($0.0)" config:type="\#($0.1)">\#($0.2)</config:config-item>"# }.joined()
        + #"</config:config-item-map-entry></config:config-item-map-named>"#
        + #"<config:config-item config:name="ActiveTable" config:type="string">Return</config:config-item>"#
        + #"</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>"#
}
