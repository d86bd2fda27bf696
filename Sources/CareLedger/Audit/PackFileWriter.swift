internal import Crypto
#if canImport(Glibc)
internal import Glibc
#endif

/// A pack's NDJSON file written a line at a time and hashed as it goes, so that a pack of a
/// period early in a long log (its chain runs to the head: much of the log) is never held in
/// memory, by its writer or by its verifier (``PackFileReader``).
final class PackFileWriter {
    private let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    /// How many bytes are gathered before they are written.
    private static let blockSize = 1 << 20

    /// Creates the file at `path`, which must not exist (it is made in a pack's staging folder).
    init(path: String) throws(LedgerError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DurableFile.failure("cannot create \(path)") }
        buffer.reserveCapacity(Self.blockSize)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Appends `line` and a line feed.
    func append(line: [UInt8]) throws(LedgerError) {
        buffer += line
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.blockSize { try flush() }
    }

    /// Writes what is left, makes the file durable and closes it.
    /// - Returns: the SHA-256 of everything written, in hex, as the manifest gives it.
    func finish() throws(LedgerError) -> String {
        try flush()
        guard fsync(descriptor) == 0 else { throw DurableFile.failure("cannot write \(path)") }
        close(descriptor)
        descriptor = -1
        return EventHash(hasher.finalize()).description
    }

    private func flush() throws(LedgerError) {
        hasher.update(data: buffer)
        let written = buffer.withUnsafeBytes { Descriptor.writeAll($0, to: descriptor) }
        guard written else { throw DurableFile.failure("cannot write \(path)") }
        buffer.removeAll(keepingCapacity: true)
    }
}
