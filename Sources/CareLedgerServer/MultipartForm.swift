internal import CareLedger
internal import Foundation
internal import LedgerJSON

/// The parts of a `multipart/form-data` body (RFC 7578, in RFC 2046's syntax): each part's
/// headers, then its bytes, between lines of `--` and the boundary, the last closed by `--`.
///
/// Read here rather than with MultipartKit: its parser (4.7.1, the copy this machine has) looks
/// up each byte of a header's name in a table of 128 entries, so one byte over 127 there stopped
/// the process, and with it the server, from one post of the `/record` page by anybody who may
/// see it; an empty boundary (`boundary=""`) stopped it too. What a browser posts reads the same.
struct MultipartForm {
    /// One part: its headers, names in lower case, and its bytes.
    struct Part {
        var headers: [String: String]
        var body: [UInt8]
    }

    /// The parts in the order sent.
    let parts: [Part]

    /// - Throws: ``LedgerError`` `rejected`, saying what is wrong, for a boundary RFC 2046 does not
    ///   allow (1 to 70 characters) and a body not made of parts between its boundary lines.
    init(_ body: [UInt8], boundary: String) throws(LedgerError) {
        guard (1...70).contains(boundary.utf8.count) else {
            throw LedgerError(.rejected, "the form's boundary (in its Content-Type) must be 1 to 70 characters; it is \(boundary.utf8.count)")
        }
        let delimiter = Array("\r\n--\(boundary)".utf8)
        func refused(_ why: String) -> LedgerError {
            LedgerError(.rejected, "the form could not be read as multipart/form-data: \(why)")
        }
        // The first boundary line may open the body, with no line break before it.
        guard var position = body.starts(with: delimiter.dropFirst(2)) ? delimiter.count - 2 : ByteSearch.firstOffset(of: delimiter, in: body, from: 0).map({ $0 + delimiter.count }) else {
            throw refused("it holds no line --\(boundary), which its Content-Type says begins each part")
        }
        var parts: [Part] = []
        while true {
            // After a boundary: "--" closes the form; else blanks, then the line ends.
            if body[position...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { break }
            while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") { position += 1 }
            guard body[position...].starts(with: Self.lineBreak) else {
                throw refused(position == body.count ? "it breaks off after a boundary line, before the boundary that closes it (--\(boundary)--)" : "a boundary line goes on past --\(boundary)")
            }
            position += 2
            var headers: [String: String] = [:]
            while !body[position...].starts(with: Self.lineBreak) {
                guard let end = ByteSearch.firstOffset(of: Self.lineBreak, in: body, from: position) else {
                    throw refused("part \(parts.count + 1)'s headers do not end with an empty line")
                }
                let line = body[position..<end]
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                    throw refused("part \(parts.count + 1) has a header line without a colon")
                }
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                headers[name] = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                position = end + 2
            }
            position += 2
            guard let end = ByteSearch.firstOffset(of: delimiter, in: body, from: position) else {
                throw refused("part \(parts.count + 1) is not followed by a boundary line (--\(boundary)): the form was cut short")
            }
            parts.append(Part(headers: headers, body: Array(body[position..<end])))
            position = end + delimiter.count
        }
        self.parts = parts
    }

    private static let lineBreak: [UInt8] = [13, 10]

}
