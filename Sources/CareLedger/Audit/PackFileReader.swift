internal import Crypto
#if canImport(Glibc)
internal import Glibc
#endif

/// A pack's file read a block at a time, hashed exactly as stored, its lines given one by one:
/// an auditor checks a pack of any size in little memory (``PackFileWriter`` writes them).
struct PackFileReader {
    /// The longest line a pack holds: an event is at most 64 KiB as sent, and its stored form
    /// adds its position, its hash and, for personal data, ciphertext a third larger than it.
    static let longestLine = 1 << 20

    private let path: String
    private let atMost: Int

    /// Reads the file at `path`, refusing it by its size when it is larger than `atMost`,
    /// before any of it is read (a sparse file of many gigabytes costs a forger nothing).
    init(path: String, atMost: Int) throws(WholeFile.Failure) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw WholeFile.Failure(code: errno) }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw .folder }
        guard info.st_size <= atMost else { throw .larger(than: atMost) }
        self.path = path
        self.atMost = atMost
    }

    /// The SHA-256 of the file's bytes, in hex, as the manifest gives it, and whether a carriage
    /// return is among them (a pack careledger writes holds none: a copy turned its line ends).
    func sha256() throws(WholeFile.Failure) -> (sha256: String, holdsCarriageReturn: Bool) {
        var hasher = SHA256()
        var holdsCarriageReturn = false
        do {
            try forEachBlock { block in
                hasher.update(bufferPointer: block)
                if !holdsCarriageReturn { holdsCarriageReturn = memchr(block.baseAddress!, Int32(UInt8(ascii: "\r")), block.count) != nil }
            }
        } catch let failure as WholeFile.Failure {
            throw failure
        } catch {
            throw .failed("\(error)")  // the hasher throws nothing
        }
        return (EventHash(hasher.finalize()).description, holdsCarriageReturn)
    }

    /// Calls `body` with each line (split at line feeds only, without them) and its one-based
    /// number; a last line without its line feed is given too. A line is valid only during the
    /// call. A line longer than ``longestLine`` stops the reading with ``LineTooLong``.
    func forEachLine(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        var carried: [UInt8] = []
        var number = 0
        try forEachBlock { block in
            var start = 0
            while start < block.count {
                guard let found = memchr(block.baseAddress! + start, Int32(UInt8(ascii: "\n")), block.count - start) else {
                    carried += block[start...]
                    if carried.count > Self.longestLine { throw LineTooLong(line: number + 1) }
                    return
                }
                let end = UnsafeRawPointer(found) - block.baseAddress!
                number += 1
                if carried.isEmpty {
                    try body(number, UnsafeRawBufferPointer(rebasing: block[start..<end]))
                } else {
                    carried += block[start..<end]
                    if carried.count > Self.longestLine { throw LineTooLong(line: number) }
                    try carried.withUnsafeBytes { try body(number, $0) }
                    carried.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
        }
        if !carried.isEmpty { try carried.withUnsafeBytes { try body(number + 1, $0) } }
    }

    /// A line longer than any event a pack holds: the file is not one careledger wrote.
    struct LineTooLong: Error {
        let line: Int
    }

    /// Gives the file's bytes a block at a time; its own failures are `WholeFile.Failure`s.
    private func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WholeFile.Failure(code: errno) }
        defer { close(descriptor) }
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        var total = 0
        while true {
            let n = read(descriptor, block.baseAddress!, block.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw WholeFile.Failure(code: errno) }
            if n == 0 { return }
            total += n
            // A file that grew after its size was checked is held to the same limit.
            guard total <= atMost else { throw WholeFile.Failure.larger(than: atMost) }
            try body(UnsafeRawBufferPointer(rebasing: block[..<n]))
        }
    }
}
