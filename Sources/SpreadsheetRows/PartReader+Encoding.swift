internal import Foundation
internal import LedgerJSON

extension PartReader {
    /// `data`, an XML part, as the parser is given it: UTF-8 through and through, with no XML
    /// declaration left to tell the parser otherwise; or where and why it cannot be.
    ///
    /// Foundation's parser on Linux stops the whole process on an element's, an attribute's or a
    /// processing instruction's *name* that is not UTF-8 (it unwraps the name it cannot decode).
    /// One damaged workbook chosen on the `/record` page, or posted to `/v1/events`, stopped the
    /// server with it. Leaving other encodings to libxml2 was not enough: it hands bytes on as
    /// they are behind a declaration it cannot act on, a damaged one (`U§TF-8`, or
    /// `verhsion="1.0" encoding="ISO-8859-1"`) or UTF-16 in a document written a byte to a
    /// character (both found by fuzzing). So the text is decoded here, from UTF-8, UTF-16 (by its
    /// byte-order mark or its first character) or a declared encoding of a byte to a character
    /// that spreadsheet programs write, and handed on as UTF-8, the declaration and every other
    /// processing instruction blanked out (``withoutProcessingInstructions(_:)``).
    static func parserInput(_ data: Data) -> Result<Data, PartEncodingFault> {
        if let utf16 = utf16Encoding(of: data) {
            guard let text = String(data: data, encoding: utf16) else { return .failure(.notDecodable("UTF-16")) }
            return .success(withoutProcessingInstructions(Array(text.utf8)))
        }
        let declared = declaredEncoding(in: data.prefix(256))
        // UTF-16 declared in a document written a byte to a character (its declaration was read
        // here) is a mistaken declaration: libxml2 read such a document as UTF-8, and so does this.
        guard let declared, !["utf-8", "utf8"].contains(declared.lowercased()), !declared.lowercased().hasPrefix("utf-16") else {
            if let fault = firstUndecodableUTF8(in: data) { return .failure(.notUTF8(fault)) }
            return .success(withoutProcessingInstructions(Array(data)))
        }
        guard let encoding = byteEncodings[declared.lowercased()] else { return .failure(.unknownEncoding(declared)) }
        guard let text = String(data: data, encoding: encoding) else { return .failure(.notDecodable(declared)) }
        return .success(withoutProcessingInstructions(Array(text.utf8)))
    }

    /// The encodings of a byte to a character read here, by the names a declaration gives them:
    /// those spreadsheet programs and people saving XML by hand in Western and Central Europe write.
    static let byteEncodings: [String: String.Encoding] = [
        "iso-8859-1": .isoLatin1, "latin1": .isoLatin1, "iso-latin-1": .isoLatin1, "iso-8859-2": .isoLatin2,
        "us-ascii": .ascii, "ascii": .ascii,
        "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251, "windows-1252": .windowsCP1252,
        "windows-1253": .windowsCP1253, "windows-1254": .windowsCP1254,
        "cp1250": .windowsCP1250, "cp1251": .windowsCP1251, "cp1252": .windowsCP1252, "cp1253": .windowsCP1253, "cp1254": .windowsCP1254,
    ]

    /// UTF-16 by its byte-order mark, or by its first character (`<`) written in two bytes.
    private static func utf16Encoding(of data: Data) -> String.Encoding? {
        let head = Array(data.prefix(2))
        switch head {
        case [0xFF, 0xFE], [0xFE, 0xFF]: return .utf16
        case [0x3C, 0x00]: return .utf16LittleEndian
        case [0x00, 0x3C]: return .utf16BigEndian
        default: return nil
        }
    }

    /// The encoding the XML declaration at the start of `head` names, as written; `nil` without
    /// one, or without an encoding.
    static func declaredEncoding(in head: Data) -> String? {
        let text = String(decoding: head, as: UTF8.self)
        guard let range = declarationRange(in: text), let name = text[range].range(of: "encoding") else { return nil }
        let value = text[name.upperBound..<range.upperBound].drop { $0.isWhitespace || $0 == "=" }
        guard let quote = value.first, quote == "\"" || quote == "'" else { return String(value.prefix { !$0.isWhitespace && $0 != "?" }) }
        return String(value.dropFirst().prefix { $0 != quote })
    }

    /// Where the XML declaration is in `text` (after a byte-order mark), its `<?xml` to its `?>`.
    private static func declarationRange(in text: String) -> Range<String.Index>? {
        let start = text.hasPrefix("\u{FEFF}") ? text.index(after: text.startIndex) : text.startIndex
        guard text[start...].hasPrefix("<?xml"), let close = text[start...].range(of: "?>") else { return nil }
        return start..<close.upperBound
    }

    /// `utf8` with every processing instruction (`<?target data?>`), the XML declaration among
    /// them, blanked out: spaces, its line breaks kept, so that lines and columns stay where they
    /// were. Comments and CDATA sections are passed over, as their `<?` is text.
    ///
    /// Foundation's parser on Linux reads a processing instruction's data through a pointer that
    /// libxml2 leaves null when there is none, and stopped the process on `<?ab?>` (found by
    /// fuzzing); none of them is read here, and the declaration has been acted on above.
    static func withoutProcessingInstructions(_ utf8: [UInt8]) -> Data {
        var bytes = utf8
        func opens(_ marker: String, at offset: Int) -> Bool {
            let marker = Array(marker.utf8)
            return offset + marker.count <= bytes.count && bytes[offset..<(offset + marker.count)].elementsEqual(marker)
        }
        func end(of closer: String, after offset: Int) -> Int {
            ByteSearch.firstOffset(of: Array(closer.utf8), in: bytes, from: offset).map { $0 + closer.utf8.count } ?? bytes.count
        }
        var position = 0
        while let open = ByteSearch.firstOffset(of: [UInt8(ascii: "<")], in: bytes, from: position) {
            if opens("<!--", at: open) {
                position = end(of: "-->", after: open + 4)
            } else if opens("<![CDATA[", at: open) {
                position = end(of: "]]>", after: open + 9)
            } else if opens("<?", at: open) {
                position = end(of: "?>", after: open + 2)
                for index in open..<position where bytes[index] != UInt8(ascii: "\n") { bytes[index] = UInt8(ascii: " ") }
            } else {
                position = open + 1
            }
        }
        return Data(bytes)
    }

    /// Where `data` first holds bytes that are not UTF-8: `line L, column C`; `nil` when none.
    static func firstUndecodableUTF8(in data: Data) -> String? {
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
                return "line \(line), column \(column)"
            case .emptyInput:
                return nil
            }
        }
    }
}

/// Why an XML part cannot be given to the parser, as a refusal says it.
enum PartEncodingFault: Error, Equatable {
    /// Read as UTF-8, its bytes break at `where` (`line L, column C`).
    case notUTF8(String)
    /// Its bytes are not text in the encoding it is in (named as it names it).
    case notDecodable(String)
    /// It declares an encoding careledger does not read.
    case unknownEncoding(String)

    /// What is wrong, as a refusal says it in its parentheses: "not well-formed XML (…)".
    var words: String {
        switch self {
        case .notUTF8(let place): "its first fault is at \(place), where its bytes are not UTF-8"
        case .notDecodable(let name): "its bytes are not text in \(name), the encoding it is in"
        case .unknownEncoding(let name): "it declares its text in \(name), which careledger does not read: save it again as UTF-8"
        }
    }
}
