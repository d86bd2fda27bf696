#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import LMDBStore

/// Reads a file's lines without holding the file in memory, for imports larger than memory: a
/// regular file through a read-only map of it, whose pages are let go behind the reader, and
/// anything else (standard input, a pipe) a block at a time.
package final class FileLineReader {
    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    private let descriptor: Int32
    private let path: String
    let fileSize: Int
    /// The offset just past the line most recently given to `forEachLine`'s body: how much of the
    /// file has been handed on, for progress.
    private(set) var consumed = 0
    private static let blockSize = 4 << 20
    /// How often a mapped file's read pages are let go: every 64 MiB unless a test says otherwise.
    private let releaseStep: Int
    /// Standard input is never mapped, even when it is a regular file: a map starts at the file's
    /// beginning, and standard input may have been read from before.
    private let isStandardInput: Bool

    init(path: String, releaseStep: Int = 64 << 20) throws(OpenError) {
        self.releaseStep = releaseStep
        self.path = path
        isStandardInput = path == "-"
        let fd = isStandardInput ? dup(0) : open(path, O_RDONLY)
        guard fd >= 0 else { throw OpenError(description: String(cString: strerror(errno))) }
        var info = stat()
        fstat(fd, &info)
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw OpenError(description: "it is a folder")
        }
        descriptor = fd
        fileSize = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Whether `bytes` begin with the UTF-8 byte order mark, EF BB BF.
    package static func startsWithByteOrderMark(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF])
    }

    /// Calls `body` with each non-blank line (without its line ending) and its one-based number.
    /// A line is valid only during the call.
    func forEachLine(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        var number = 0
        func emit(_ line: UnsafeRawBufferPointer) throws {
            number += 1
            var end = line.count
            if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            // A UTF-8 byte order mark, as spreadsheet exports and some Windows tools begin a file
            // with: RFC 8259 lets a parser ignore it.
            let start = number == 1 && Self.startsWithByteOrderMark(line) ? min(3, end) : 0
            let trimmed = UnsafeRawBufferPointer(rebasing: line[start..<end])
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            try body(number, trimmed)
        }
        if !isStandardInput, let mapped = Mapping(descriptor: descriptor, path: path, size: fileSize, releaseStep: releaseStep) {
            try forEachLine(in: mapped, emit)
        } else {
            try readEachLine(emit)
        }
    }

    /// A regular file's lines, straight from its map: reading it block by block, the kernel's
    /// copy into the block was up to a sixth of the preparing thread of an import.
    private func forEachLine(in mapped: Mapping, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let all = mapped.bytes
        var start = 0
        while start < all.count {
            // memchr: a byte-at-a-time search was a thirteenth of an import's preparing thread.
            let end = memchr(all.baseAddress! + start, 0x0A, all.count - start).map { UnsafeRawPointer($0) - all.baseAddress! } ?? all.count
            consumed = min(end + 1, all.count)
            try emit(UnsafeRawBufferPointer(rebasing: all[start..<end]))
            start = end + 1
            mapped.release(before: start)
        }
        consumed = all.count
    }

    /// A read-only map of a whole regular file, unmapped when it goes.
    ///
    /// Registered with ``MappedFiles``: a file cut short by another program while it is read
    /// faults on the first page past its new end, which the `careledger` executable explains.
    private final class Mapping {
        let bytes: UnsafeRawBufferPointer
        private let registration: MappedFiles.Registration?
        private let releaseStep: Int
        /// The offset up to which the pages have been let go.
        private var released = 0

        /// `nil` for anything that cannot be mapped (a pipe, an empty file).
        init?(descriptor: Int32, path: String, size: Int, releaseStep: Int) {
            var info = stat()
            guard size > 0, fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                  let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else { return nil }
            _ = madvise(base, size, MADV_SEQUENTIAL)
            bytes = UnsafeRawBufferPointer(start: base, count: size)
            registration = MappedFiles.register(base, count: size, path: path, kind: .input)
            self.releaseStep = releaseStep
        }

        deinit {
            if let registration { MappedFiles.unregister(registration) }
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count)
        }

        /// Lets the kernel drop the pages wholly before `offset` from this process every
        /// `releaseStep` bytes: they are read once, and the file stays out of the process's memory.
        func release(before offset: Int) {
            guard offset - released >= releaseStep else { return }
            let end = offset & ~(Int(getpagesize()) - 1)
            _ = madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + released), end - released, MADV_DONTNEED)
            released = end
        }
    }

    /// Standard input, a pipe or anything else that cannot be mapped: read a block at a time.
    private func readEachLine(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var pending: [UInt8] = []
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        var bytesRead = 0
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, Self.blockSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw OpenError(description: "reading failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytesRead += count
            try block.withUnsafeBytes { all in
                let chunk = UnsafeRawBufferPointer(rebasing: all[0..<count])
                let chunkOffset = bytesRead - count
                var start = 0
                // memchr: the byte-at-a-time search was a thirteenth of an import's preparing thread.
                func nextNewline() -> Int? {
                    guard start < count, let found = memchr(chunk.baseAddress! + start, 0x0A, count - start) else { return nil }
                    return UnsafeRawPointer(found) - chunk.baseAddress!
                }
                while let newline = nextNewline() {
                    consumed = chunkOffset + newline + 1
                    if pending.isEmpty {
                        try emit(UnsafeRawBufferPointer(rebasing: chunk[start..<newline]))
                    } else {
                        pending.append(contentsOf: chunk[start..<newline])
                        try pending.withUnsafeBytes { try emit($0) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    start = newline + 1
                }
                pending.append(contentsOf: chunk[start...])
            }
            if pending.count > EventPreparer.maximumEventSize + 2 {
                // A line this long is refused anyway: say so now rather than read on into memory.
                try pending.withUnsafeBytes { try emit($0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        consumed = bytesRead
        if !pending.isEmpty { try pending.withUnsafeBytes { try emit($0) } }
    }
}
