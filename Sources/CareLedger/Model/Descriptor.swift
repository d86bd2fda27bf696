#if canImport(Glibc)
internal import Glibc
#endif

/// Writes to an open file descriptor, for the files the ledger keeps beside its LMDB
/// environments (``DurableFile``) and for standard output and error (``StandardStream``).
enum Descriptor {
    /// Writes all of `bytes` (a write may take only part, or be interrupted); `false`, with
    /// `errno` set, when the descriptor stops taking them (`ENOSPC` when it took nothing).
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if n == 0 { errno = ENOSPC }  // no progress: the device took nothing
                return false
            }
            written += n
        }
        return true
    }
}
