#if canImport(Glibc)
internal import Glibc
#endif

/// Standard output or standard error, written with `write(2)`: for lines a person or a log
/// reads (a request log, a journal line, progress, a refusal).
///
/// Foundation's `FileHandle.write(_:)` stops the process when a write fails, and one fails when
/// the file a stream is redirected to is on a full disk: `serve --log-requests 2>> requests.log`
/// died on its next request once the disk filled, and every refusal died instead of exiting
/// with its status. Here what does not fit is lost and the program goes on.
package enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    /// Writes `text`; `false` when not all of it could be written.
    @discardableResult
    package func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `bytes`; `false`, with `errno` set, when not all of them could be written.
    @discardableResult
    package func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write($0) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(rawValue, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            written += n
        }
        return true
    }
}
