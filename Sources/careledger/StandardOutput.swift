import CareLedger
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Standard output, written by `print` through the C library's buffer and by ``BufferedOutput``
/// directly: whether all of it was written.
enum StandardOutput {
    /// The `errno` of the first write ``BufferedOutput`` could not make, or 0.
    private static let firstFailure = Atomic<Int32>(0)

    /// Notes that a write to standard output failed with `error`.
    static func lost(_ error: Int32) {
        _ = firstFailure.compareExchange(expected: 0, desired: error == 0 ? EIO : error, ordering: .relaxed)
    }

    /// Flushes what `print` held for standard output. An answer that could not be written whole
    /// (`careledger read > file` on a full disk) is a storage error, not an exit 0 with the answer
    /// cut short.
    static func finish() throws(LedgerError) {
        let flushed = fflush(stdout) == 0
        let failure = flushed ? firstFailure.load(ordering: .relaxed) : errno
        let reason = failure != 0 ? String(cString: strerror(failure)) : "is the disk it goes to full?"
        if failure != 0 || ferror(stdout) != 0 {
            throw LedgerError(.storage, "cannot write all of the output to standard output (\(reason)); what was written is incomplete")
        }
    }
}
