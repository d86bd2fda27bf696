internal import Foundation

/// A character reference of a web page, `&amp;`, `&#163;` or `&#xA3;`, as an export writes the
/// characters that are markup (`&lt;`) or that its code page lacks (`&#8364;`).
enum HTMLEntity {
    /// The names an export writes, of the many HTML defines: markup, spaces, currency, dashes
    /// and quotes. Another is left as written.
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "pound": "£", "euro": "€", "cent": "¢", "yen": "¥", "copy": "©", "reg": "®", "deg": "°",
        "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "middot": "·", "bull": "•", "times": "×", "frac12": "½", "sect": "§", "eacute": "é", "egrave": "è",
        "aacute": "á", "iacute": "í", "oacute": "ó", "uacute": "ú", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü",
        "ouml": "ö", "auml": "ä", "Eacute": "É", "szlig": "ß",
    ]

    /// The character of the reference at `at` (an `&`) in `page` and how many bytes it takes;
    /// an `&` that begins no reference known is itself, one byte.
    static func decode(_ page: [UInt8], at: Int) -> (Unicode.Scalar, Int) {
        let literal: (Unicode.Scalar, Int) = ("&", 1)
        var cursor = at + 1
        guard let end = page[cursor..<min(page.count, at + 34)].firstIndex(of: UInt8(ascii: ";")), end > cursor else { return literal }
        let body = String(decoding: page[cursor..<end], as: UTF8.self)
        cursor = end + 1
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let hex = digits.first == "x" || digits.first == "X"
            guard let value = UInt32(hex ? String(digits.dropFirst()) : String(digits), radix: hex ? 16 : 10),
                  value != 0, let scalar = Unicode.Scalar(value) else { return literal }
            // 128 to 159 name Windows-1252's characters there (`&#150;` an en dash), as a
            // browser reads them: an old export writes its code page's numbers.
            if (0x80...0x9F).contains(value), let windows = String(bytes: [UInt8(value)], encoding: .windowsCP1252)?.unicodeScalars.first {
                return (windows, cursor - at)
            }
            return (scalar, cursor - at)
        }
        guard let scalar = named[body] else { return literal }
        return (scalar, cursor - at)
    }
}
