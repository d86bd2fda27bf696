internal import Foundation
internal import LedgerJSON

/// The name Excel gives the sheet of a web page it opens, where the page declares one: the first
/// worksheet's `<x:Name>` in the `<x:ExcelWorkbook>` settings that Excel, and the many "export to
/// Excel" scripts copied from its output, write into the page's head inside a conditional comment
/// (`<!--[if gte mso 9]><xml>…`) that a browser passes by. Excel lays the whole page out on that
/// one sheet, whatever tables it holds, and shows that name on its tab: the name a person asks
/// for with `--sheet`.
enum ExcelWorksheetName {
    /// The longest name read: Excel's own are at most 31 characters.
    static let longest = 255

    /// The name the first `<x:ExcelWorksheet>` of `page` (UTF-8) declares, its references
    /// decoded and its ends trimmed; `nil` for none, an empty one or one past ``longest``.
    static func declared(in page: [UInt8]) -> String? {
        let opening = Array("<x:Name>".utf8)
        guard let worksheet = ByteSearch.firstOffset(of: Array("<x:ExcelWorksheet>".utf8), in: page),
              let open = ByteSearch.firstOffset(of: opening, in: page, from: worksheet),
              let close = ByteSearch.firstOffset(of: Array("</x:Name>".utf8), in: page, from: open),
              close - open - opening.count <= longest else { return nil }
        var text = "", at = open + opening.count
        while at < close {
            if page[at] == UInt8(ascii: "&") {
                let (scalar, length) = HTMLEntity.decode(page, at: at)
                text.unicodeScalars.append(scalar)
                at += length
            } else {
                let end = page[at..<close].firstIndex(of: UInt8(ascii: "&")) ?? close
                text += String(decoding: page[at..<end], as: UTF8.self)
                at = end
            }
        }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}
