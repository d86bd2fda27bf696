import CareLedger
@testable import CareLedgerServer
import Testing

/// The `/record` page's `multipart/form-data` posts, read by ``MultipartForm``: what browsers and
/// curl send, and what one malicious or broken post holds, refused by what is wrong with it.
@Suite struct MultipartFormTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aBrowsersPostReadsPartByPart() throws {
        let body = Self.bytes("a preamble, ignored\r\n--XyZ\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nTrainingCompleted\r\n"
            + "--XyZ  \r\ncontent-disposition:form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + "occurredOn --XyZ within a line is not a boundary\r\n-- XyZ neither\r\n\r\n"
            + "--XyZ\r\n\r\nno headers\r\n--XyZ--\r\nan epilogue, ignored")
        let parts = try MultipartForm(body, boundary: "XyZ").parts
        #expect(parts.map(\.headers) == [["content-disposition": "form-data; name=\"type\""],
                                         ["content-disposition": "form-data; name=\"file\"; filename=\"r.csv\"", "content-type": "text/csv"], [:]])
        #expect(parts.map { String(decoding: $0.body, as: UTF8.self) } == ["TrainingCompleted", "occurredOn --XyZ within a line is not a boundary\r\n-- XyZ neither\r\n", "no headers"])
        // Opening the body, the first boundary needs no line break before it; a part may be empty.
        let bare = try MultipartForm(Self.bytes("--b\r\nContent-Disposition: form-data; name=\"rows\"\r\n\r\n\r\n--b--"), boundary: "b").parts
        #expect(bare.count == 1 && bare[0].body.isEmpty)
    }

    /// A header's name holding a byte over 127 stopped MultipartKit's parser, and the server
    /// with it; so did an empty boundary. Each is refused, as a form cut short is.
    @Test func aBrokenPostIsRefusedSayingWhy() {
        let cases: [([UInt8], String, String)] = [
            (Self.bytes("--b\r\nContent-Disp") + [0xFF] + Self.bytes("osition: form-data; name=\"x\"\r\n\r\nv\r\n--b--\r\n"), "b", ""),
            (Self.bytes("--\r\n\r\nv\r\n----\r\n"), "", "the form's boundary (in its Content-Type) must be 1 to 70 characters; it is 0"),
            (Self.bytes("--" + String(repeating: "b", count: 71) + "\r\n"), String(repeating: "b", count: 71), "must be 1 to 70 characters; it is 71"),
            (Self.bytes("--b\r\nContent-Disposition: form-data; name=\"rows\"\r\n\r\nhalf a ret"), "b", "part 1 is not followed by a boundary line (--b): the form was cut short"),
            (Self.bytes("--b\r\nContent-Disposition: form-data"), "b", "part 1's headers do not end with an empty line"),
            (Self.bytes("--b\r\nno colon here\r\n\r\nv\r\n--b--"), "b", "part 1 has a header line without a colon"),
            (Self.bytes("--bb\r\n"), "b", "a boundary line goes on past --b"),
            (Self.bytes("--b"), "b", "it breaks off after a boundary line, before the boundary that closes it (--b--)"),
            (Self.bytes("name=rows&rows=x"), "b", "it holds no line --b, which its Content-Type says begins each part"),
        ]
        for (body, boundary, why) in cases {
            do {
                let parts = try MultipartForm(body, boundary: boundary).parts
                #expect(why.isEmpty && parts.count == 1, "\(why): read \(parts.count) parts")
            } catch {
                #expect(!why.isEmpty && error.rule.contains(why), "\(error.rule)")
            }
        }
    }
}
