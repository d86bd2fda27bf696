internal import Foundation

extension PartReader {
    /// Where `data`, an XML part, first holds bytes that are not UTF-8, when the parser will
    /// take it as UTF-8 (no byte-order mark of UTF-16, and no encoding declared, or UTF-8).
    ///
    /// An XML document is not well-formed where its bytes break its encoding, and libxml2 says
    /// so of text; but Foundation's parser on Linux stops the whole process on an element or
    /// attribute *name* that is not UTF-8 (it unwraps the name it cannot decode). One damaged
    /// workbook chosen on the `/record` page stopped the server with it. So such bytes are
    /// found here first, and the part refused like any other that is not well-formed.
    /// - Returns: `line L, column C, where …`, or `nil` when the parser may be given it.
    static func firstUndecodableUTF8(in data: Data) -> String? {
        guard readsAsUTF8(data.prefix(256)) else { return nil }
        let valid = data.withUnsafeBytes { bytes in String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil }
        if valid { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                if scalar.first == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            case .error:
                return "line \(line), column \(column), where its bytes are not UTF-8"
            case .emptyInput:
                return nil
            }
        }
    }

    /// Whether the parser reads a document that begins with `head` as UTF-8: libxml2 transcodes
    /// one marked as UTF-16 by its byte-order mark, or declaring an encoding it knows (`<?xml … encoding="ISO-8859-1"?>`),
    /// into UTF-8 itself. An encoding it does not know (a damaged declaration, `U§TF-8`) it
    /// reports and then hands the bytes on as they are: a name that is not UTF-8 behind such a
    /// declaration stopped the process as surely as behind none (found by fuzzing).
    private static func readsAsUTF8(_ head: Data) -> Bool {
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return false }
        guard let declared = declaredEncoding(in: head) else { return true }
        return !transcoded.contains(declared.lowercased())
    }

    /// The encoding the XML declaration at the start of `head` names, as written; `nil` without one.
    static func declaredEncoding(in head: Data) -> String? {
        let text = String(decoding: head, as: UTF8.self)
        guard text.hasPrefix("<?xml") || text.hasPrefix("\u{FEFF}<?xml"),
              let close = text.range(of: "?>"),
              let name = text[..<close.lowerBound].range(of: "encoding") else { return nil }
        let value = text[name.upperBound..<close.lowerBound].drop { $0.isWhitespace || $0 == "=" }
        guard let quote = value.first, quote == "\"" || quote == "'" else { return String(value) }
        return String(value.dropFirst().prefix { $0 != quote })
    }

    /// Encodings libxml2 reads into UTF-8 (its own, and iconv's on Debian): those a spreadsheet
    /// program or a person saving XML by hand writes, in a byte to a character. Not UTF-16: a
    /// declaration read here was written a byte to a character, and libxml2 reads such a
    /// document as it is whatever it declares; one truly in UTF-16 begins with a byte-order mark
    /// or a zero byte, and is left to the parser above.
    static let transcoded: Set<String> = {
        var names: Set<String> = ["us-ascii", "ascii", "latin1"]
        for part in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16] { names.insert("iso-8859-\(part)") }
        for page in 1250...1258 { names.formUnion(["windows-\(page)", "cp\(page)"]) }
        return names
    }()
}
