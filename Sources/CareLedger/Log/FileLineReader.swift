#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reads a file's lines a block at a time, for imports larger than memory.
final class FileLineReader {
    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    private let descriptor: Int32
    let fileSize: Int
    private(set) var bytesRead = 0
    /// The offset just past the line most recently given to `forEachLine`'s body: how much of the
    /// file has been handed on, for progress.
    private(set) var consumed = 0
    private static let blockSize = 4 << 20

    init(path: String) throws(OpenError) {
        let fd = path == "-" ? dup(0) : open(path, O_RDONLY)
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
    static func startsWithByteOrderMark(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF])
    }

    /// Calls `body` with each non-blank line (without its line ending) and its one-based number.
    /// A line is valid only during the call.
    func forEachLine(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        var pending: [UInt8] = []
        var block = [UInt8](repeating: 0, count: Self.blockSize)
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
