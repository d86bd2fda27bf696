/// Finding a byte pattern in a text, with a plain loop: the standard library's generic collection
/// search costs tens of nanoseconds a byte, and these searches run over every event read or posted.
public enum ByteSearch {
    /// Where `needle` (at least 2 bytes) first starts in `bytes[..<end]`, or `nil`.
    public static func firstOffset(of needle: [UInt8], in bytes: [UInt8], before end: Int? = nil) -> Int? {
        bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                let last = min(end ?? haystack.count, haystack.count) - pattern.count
                guard pattern.count >= 2, last >= 0 else { return nil }
                let first = pattern[0], second = pattern[1]
                var i = 0
                while i <= last {
                    if haystack[i] == first && haystack[i + 1] == second {
                        var j = 2
                        while j < pattern.count && haystack[i + j] == pattern[j] { j += 1 }
                        if j == pattern.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}
