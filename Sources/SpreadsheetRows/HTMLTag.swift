internal import LedgerJSON

/// One tag of a web page, `<td colspan="2">` or `</tr>`: its name lowercased, whether it closes
/// an element, and its attributes (names lowercased, values as written, entities left in).
struct HTMLTag {
    let name: String
    let closing: Bool
    let attributes: [String: String]

    /// Reads the tag at `at` in `page`, moving `at` past it; or passes by a comment, a document
    /// type or a processing instruction (`nil`, `at` moved past it); `nil` with `at` unmoved
    /// for a `<` that begins no tag, which is text.
    init?(in page: [UInt8], at: inout Int) {
        let start = at
        func byte(_ offset: Int) -> UInt8? { start + offset < page.count ? page[start + offset] : nil }
        if page[start...].starts(with: Array("<!--".utf8)) {
            at = ByteSearch.firstOffset(of: Array("-->".utf8), in: page, from: start + 4).map { $0 + 3 } ?? page.count
            return nil
        }
        if byte(1) == UInt8(ascii: "!") || byte(1) == UInt8(ascii: "?") {
            at = ByteSearch.firstOffset(of: [UInt8(ascii: ">")], in: page, from: start).map { $0 + 1 } ?? page.count
            return nil
        }
        let closing = byte(1) == UInt8(ascii: "/")
        var cursor = start + (closing ? 2 : 1)
        guard cursor < page.count, Self.isLetter(page[cursor]) else { return nil }
        let nameStart = cursor
        while cursor < page.count, !Self.endsName(page[cursor]) { cursor += 1 }
        name = String(decoding: page[nameStart..<cursor], as: UTF8.self).lowercased()
        self.closing = closing
        var attributes: [String: String] = [:]
        while cursor < page.count, page[cursor] != UInt8(ascii: ">") {
            if Self.isSpace(page[cursor]) || page[cursor] == UInt8(ascii: "/") { cursor += 1; continue }
            let attributeStart = cursor
            while cursor < page.count, !Self.endsName(page[cursor]), page[cursor] != UInt8(ascii: "=") { cursor += 1 }
            let attribute = String(decoding: page[attributeStart..<cursor], as: UTF8.self).lowercased()
            while cursor < page.count, Self.isSpace(page[cursor]) { cursor += 1 }
            var value = ""
            if cursor < page.count, page[cursor] == UInt8(ascii: "=") {
                cursor += 1
                while cursor < page.count, Self.isSpace(page[cursor]) { cursor += 1 }
                if cursor < page.count, page[cursor] == UInt8(ascii: "\"") || page[cursor] == UInt8(ascii: "'") {
                    let quote = page[cursor]
                    let valueEnd = ByteSearch.firstOffset(of: [quote], in: page, from: cursor + 1) ?? page.count
                    value = String(decoding: page[min(cursor + 1, valueEnd)..<valueEnd], as: UTF8.self)
                    cursor = min(valueEnd + 1, page.count)
                } else {
                    let valueStart = cursor
                    while cursor < page.count, !Self.isSpace(page[cursor]), page[cursor] != UInt8(ascii: ">") { cursor += 1 }
                    value = String(decoding: page[valueStart..<cursor], as: UTF8.self)
                }
            }
            if !attribute.isEmpty, attributes[attribute] == nil { attributes[attribute] = value }
            if cursor == attributeStart { cursor += 1 }
        }
        self.attributes = attributes
        at = min(cursor + 1, page.count)
    }

    /// Where the text of a `script`, `style`, `title` or `textarea` element that began before
    /// `from` ends: past its closing tag, or at the page's end when it has none.
    static func end(of element: String, in page: [UInt8], from: Int) -> Int {
        let closing = Array("</\(element)".utf8)
        var cursor = from
        while let found = ByteSearch.firstOffset(of: [UInt8(ascii: "<"), UInt8(ascii: "/")], in: page, from: cursor) {
            let candidate = page[found..<min(found + closing.count, page.count)].map { $0 | (isLetter($0) ? 0x20 : 0) }
            if candidate == closing, found + closing.count == page.count || endsName(page[found + closing.count]) {
                return ByteSearch.firstOffset(of: [UInt8(ascii: ">")], in: page, from: found).map { $0 + 1 } ?? page.count
            }
            cursor = found + 2
        }
        return page.count
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
    private static func endsName(_ byte: UInt8) -> Bool { isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") }
}
