#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Finding a byte pattern in a text, with `memchr` for its first byte and `memcmp` for the rest:
/// the standard library's generic collection search costs tens of nanoseconds a byte, and these
/// searches run over every event read or posted, and over whole files.
public enum ByteSearch {
    /// Where `needle` (at least 1 byte) first starts in `bytes[..<end]`, or `nil`.
    public static func firstOffset(of needle: [UInt8], in bytes: [UInt8], before end: Int? = nil) -> Int? {
        bytes.withUnsafeBytes { haystack in
            firstOffset(of: needle, in: UnsafeRawBufferPointer(rebasing: haystack[..<min(end ?? haystack.count, haystack.count)]))
        }
    }

    /// Where `needle` (at least 1 byte) first starts in `bytes` at or after `start`, or `nil`.
    public static func firstOffset(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { all in
            firstOffset(of: needle, in: UnsafeRawBufferPointer(rebasing: all[start...])).map { $0 + start }
        }
    }

    /// Where `needle` (at least 1 byte) first starts in `bytes`, or `nil`.
    public static func firstOffset(of needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, let base = bytes.baseAddress, bytes.count >= needle.count else { return nil }
        let last = bytes.count - needle.count
        var offset = 0
        while offset <= last, let hit = memchr(base + offset, Int32(first), last - offset + 1) {
            let at = UnsafeRawPointer(hit) - base
            if memcmp(base + at, needle, needle.count) == 0 { return at }
            offset = at + 1
        }
        return nil
    }
}
