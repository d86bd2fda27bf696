internal import Foundation
internal import LedgerJSON

/// The worksheets a web page declares for Excel: the `<x:ExcelWorkbook>` settings that Excel,
/// and the many "export to Excel" scripts copied from its output, write into a page's head
/// inside a conditional comment (`<!--[if gte mso 9]><xml>…`) that a browser passes by.
///
/// A page of one sheet names it (`<x:Name>`): Excel lays the whole page out on that sheet,
/// whatever tables it holds, and shows that name on its tab, the name a person asks for with
/// `--sheet`. A workbook Excel saved as a web page is a frame whose sheets are files of their
/// own, each named with its file (`<x:WorksheetSource HRef="Book1_files/sheet001.htm"/>`).
struct ExcelWorksheets {
    struct Worksheet: Equatable {
        let name: String
        /// The file holding it, for a workbook saved as a frame of several files.
        let source: String?
    }

    /// The worksheets declared, in order.
    let worksheets: [Worksheet]

    /// The most worksheets read, and the longest name (Excel's own are at most 31 characters).
    static let most = 256, longestName = 255

    /// The name Excel shows for the page's sheet: the first worksheet's.
    var name: String? { worksheets.first?.name }

    /// The worksheets that `page` (UTF-8) declares, each with its name, its references decoded
    /// and its ends trimmed; one without a name, or with one past ``longestName``, is passed by.
    init(in page: [UInt8]) {
        var found: [Worksheet] = [], at = 0
        let opening = Array("<x:ExcelWorksheet>".utf8), closing = Array("</x:ExcelWorksheet>".utf8)
        while found.count < Self.most, let start = ByteSearch.firstOffset(of: opening, in: page, from: at) {
            let end = ByteSearch.firstOffset(of: closing, in: page, from: start) ?? page.count
            let block = Array(page[(start + opening.count)..<end])
            at = end
            guard let name = Self.text(of: "x:Name", in: block), !name.isEmpty, name.count <= Self.longestName else { continue }
            found.append(Worksheet(name: name, source: Self.source(in: block)))
        }
        worksheets = found
    }

    /// The text of the first `<element>…</element>` of `block`, references decoded, ends trimmed.
    private static func text(of element: String, in block: [UInt8]) -> String? {
        let opening = Array("<\(element)>".utf8)
        guard let open = ByteSearch.firstOffset(of: opening, in: block),
              let close = ByteSearch.firstOffset(of: Array("</\(element)>".utf8), in: block, from: open) else { return nil }
        return decoded(block[(open + opening.count)..<close]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `HRef` of the block's `<x:WorksheetSource>`, references decoded.
    private static func source(in block: [UInt8]) -> String? {
        guard var at = ByteSearch.firstOffset(of: Array("<x:WorksheetSource".utf8), in: block),
              let tag = HTMLTag(in: block, at: &at), let href = tag.attributes["href"], !href.isEmpty else { return nil }
        return decoded(Array(href.utf8)[...])
    }

    /// `bytes` with their character references (`&amp;`, `&#8211;`) decoded.
    private static func decoded(_ bytes: ArraySlice<UInt8>) -> String {
        let bytes = Array(bytes)
        var text = "", at = 0
        while at < bytes.count {
            if bytes[at] == UInt8(ascii: "&") {
                let (scalar, length) = HTMLEntity.decode(bytes, at: at)
                text.unicodeScalars.append(scalar)
                at += length
            } else {
                let end = bytes[at...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
                text += String(decoding: bytes[at..<end], as: UTF8.self)
                at = end
            }
        }
        return text
    }
}
