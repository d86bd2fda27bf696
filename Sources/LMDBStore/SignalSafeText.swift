#if canImport(Glibc)
internal import Glibc
internal import Synchronization
#endif

/// A message assembled without allocating, for a signal handler: bytes appended to a buffer
/// made beforehand, cut off at its end.
struct SignalSafeText {
    private static let capacity = 4096
    nonisolated(unsafe) private static let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    private var count = 0
    /// Whether what is appended is the inside of a JSON string: quotes, backslashes and control
    /// bytes are escaped.
    var escapesJSON = false

    /// Made when faults are first explained, not first in the handler.
    static func prepare() { _ = buffer }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { append(byte) } }
    }

    mutating func append(_ text: UnsafePointer<CChar>) {
        var at = text
        while at.pointee != 0 { append(UInt8(bitPattern: at.pointee)); at += 1 }
    }

    mutating func append(_ number: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var length = 0
        var rest = number
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[length] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                length += 1
            } while rest > 0
            while length > 0 { length -= 1; append(digits[length]) }
        }
    }

    /// ` ends at byte SIZE, but byte OFFSET WHY` (` ends before byte OFFSET, which WHY` when
    /// the size could not be read).
    mutating func appendEnd(of fileSize: UInt64?, needed offset: UInt64, by why: StaticString) {
        if let fileSize {
            append(" ends at byte "); append(fileSize); append(", but byte "); append(offset); append(" ")
        } else {
            append(" ends before byte "); append(offset); append(", which ")
        }
        append(why)
    }

    private mutating func append(_ byte: UInt8) {
        guard escapesJSON, byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { return appendRaw(byte) }
        appendRaw(UInt8(ascii: "\\"))
        if byte >= 0x20 { return appendRaw(byte) }
        // \u00XX, one byte at a time: an array here would allocate.
        appendRaw("u00")
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digits in
            appendRaw(digits[Int(byte >> 4)])
            appendRaw(digits[Int(byte & 0xF)])
        }
    }

    /// Appends `text` as it is, whatever ``escapesJSON`` says: JSON's own punctuation.
    mutating func appendRaw(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { appendRaw(byte) } }
    }

    private mutating func appendRaw(_ byte: UInt8) {
        guard count < Self.capacity else { return }
        Self.buffer[count] = byte
        count += 1
    }

    func write(to descriptor: Int32) {
        // Ends a progress line left open on standard error, so the explanation starts a line.
        if descriptor == 2, MappedFiles.standardErrorLineOpen.exchange(false, ordering: .acquiringAndReleasing) {
            _ = Glibc.write(2, "\n", 1)
        }
        var written = 0
        while written < count {
            let result = Glibc.write(descriptor, Self.buffer + written, count - written)
            if result <= 0 { return }
            written += result
        }
    }
}
