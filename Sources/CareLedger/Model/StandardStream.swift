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
        return text.withUTF8 { Descriptor.writeAll(UnsafeRawBufferPointer($0), to: rawValue) }
    }

    /// Writes `bytes`; `false`, with `errno` set, when not all of them could be written.
    @discardableResult
    package func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Descriptor.writeAll($0, to: rawValue) }
    }
}
