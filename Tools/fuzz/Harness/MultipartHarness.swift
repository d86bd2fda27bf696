/// A `multipart/form-data` body as the `/record` page posts it: the first byte gives the
/// boundary's length (modulo 72), the bytes after it the boundary, the rest the body.
/// (`MultipartForm.swift` is copied in from the server's sources by run.sh.)
enum MultipartHarness {
    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let length = min(Int(first % 72), bytes.count - 1)
        let boundary = String(decoding: bytes[1..<(1 + length)], as: UTF8.self)
        _ = try? MultipartForm(Array(bytes[(1 + length)...]), boundary: boundary)
    }
}
