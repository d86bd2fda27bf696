/// String content that needs no decoding, recognised a word at a time: strings are most of an
/// event's bytes, and both the parser and the replay's scanner skip through them.
public enum PlainText {
    /// Whether eight bytes are all plain string content: ASCII, not a control character, not a
    /// quote and not a backslash. A byte-at-a-time loop handles any word this answers `false`
    /// for.
    @inlinable @inline(__always)
    public static func isPlain(_ word: UInt64) -> Bool { specialBytes(word) == 0 }

    /// The bytes of a word (read little-endian) that are not plain string content, as the high
    /// bit of each: zero when all eight are plain. The lowest set bit is exact, so
    /// `trailingZeroBitCount / 8` is the first such byte; bits above it may be false alarms.
    /// (Each test is the classic "has a zero byte" / "has a byte less than n" bit trick.)
    @inlinable @inline(__always)
    public static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = hasZeroByte(word ^ (ones &* 0x22))
        let backslash = hasZeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control | (word & highs)
    }

    /// Whether `a` and `b` hold the same `count` bytes, compared a word at a time in line: the
    /// names and literals compared are a few bytes long, where a call to `memcmp` costs more
    /// than the comparison.
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        while offset < count {
            if a.load(fromByteOffset: offset, as: UInt8.self) != b.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset += 1
        }
        return true
    }
}
