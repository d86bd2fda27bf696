import Foundation
@testable import SpreadsheetRows
import ZIPFoundation

/// Writes a ZIP archive at `path` holding `entries`, each a part's path and its text, in order:
/// a workbook (or a file that only looks like one) made for a test.
func zip(_ entries: KeyValuePairs<String, String>, to path: String) throws {
    try zip(entries.map { ($0.key, $0.value) }, to: path)
}

/// ``zip(_:to:)`` of entries in an array.
func zip(_ entries: [(String, String)], to path: String) throws {
    try zip(bytes: entries.map { ($0.0, Data($0.1.utf8)) }, to: path)
}

/// ``zip(_:to:)`` of parts given as bytes, which need not be UTF-8.
func zip(bytes entries: [(String, Data)], to path: String) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (name, data) in entries {
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}

/// Writes the smallest `.xlsx` workbook at `path` that holds `sheets`, in order: each sheet's
/// rows, numbered from 1, of inline text (a cell's text may hold a line break); a sheet may be
/// hidden.
func writeWorkbook(_ sheets: [(name: String, rows: [[String]], hidden: Bool)], to path: String) throws {
    let list = sheets.enumerated().map { index, sheet in
        #"<sheet name="\#(sheet.name)" sheetId="\#(index + 1)"\#(sheet.hidden ? #" state="hidden""# : "") r:id="rId\#(index + 1)"/>"#
    }.joined()
    let relations = sheets.indices.map { #"<Relationship Id="rId\#($0 + 1)" Target="worksheets/sheet\#($0 + 1).xml"/>"# }.joined()
    var parts: [(String, String)] = [("xl/workbook.xml", #"<workbook xmlns:r="r"><sheets>\#(list)</sheets></workbook>"#),
                                     ("xl/_rels/workbook.xml.rels", "<Relationships>\(relations)</Relationships>")]
    for (index, sheet) in sheets.enumerated() {
        let rows = sheet.rows.enumerated().map { number, cells in
            #"<row r="\#(number + 1)">"# + cells.enumerated().map { #"<c r="\#(ReturnWorkbook.column($0.offset))\#(number + 1)" t="inlineStr"><is><t>\#($0.element)</t></is></c>"# }.joined() + "</row>"
        }.joined()
        parts.append(("xl/worksheets/sheet\(index + 1).xml", "<worksheet><sheetData>\(rows)</sheetData></worksheet>"))
    }
    try zip(parts, to: path)
}

/// The bytes of an `.xlsx` workbook of one sheet, `Return`, whose part `xl/worksheets/sheet1.xml`
/// is `sheetXML` as given, well-formed or not, beside `sharedStrings` when given: for a test of
/// what the reader makes of a sheet's own XML. The file is written at `path`.
func workbookBytes(sheetXML: String, sharedStrings: String? = nil, at path: String) throws -> [UInt8] {
    var parts = [("xl/workbook.xml", #"<workbook xmlns:r="r"><sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
                 ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#),
                 ("xl/worksheets/sheet1.xml", sheetXML)]
    if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
    try zip(parts, to: path)
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}
