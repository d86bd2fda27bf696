@testable import CareLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("Reading an import's lines")
struct FileLineReaderTests {
    /// About 5 MB of lines: a byte order mark and CRLF first, blank and whitespace-only lines,
    /// lines from empty to 70,000 bytes (longer than an event may be), so that lines cross the
    /// piped reader's 4 MiB blocks and the mapped reader's release steps; the last line has no
    /// line ending.
    private static let content: [UInt8] = {
        var text: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"first\":1}\r\n\n \t\n".utf8)
        var generator = SplitMix(seed: 7)
        for n in 0..<2_000 {
            let length = n % 97 == 0 ? 70_000 : Int(generator.next() % 3_000)
            text += Array("{\"n\":\(n),\"pad\":\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: length) + Array("\"}".utf8)
            text += n % 5 == 0 ? Array("\r\n".utf8) : Array("\n".utf8)
            if n % 11 == 0 { text += Array("   \n".utf8) }
        }
        text += Array("{\"last\":true}".utf8)
        return text
    }()

    /// The lines as SPEC and the importer read them, worked out plainly.
    private static var expected: [Line] {
        var lines: [Line] = []
        var start = 0, number = 0
        while start <= content.count {
            let end = content[start...].firstIndex(of: 0x0A) ?? content.count
            number += 1
            var line = Array(content[start..<end])
            if line.last == 0x0D { line.removeLast() }
            if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.append(Line(number: number, bytes: line)) }
            if end == content.count { break }
            start = end + 1
        }
        return lines
    }

    struct Line: Equatable {
        let number: Int
        let bytes: [UInt8]
    }

    private func lines(of reader: FileLineReader) throws -> [Line] {
        var lines: [Line] = []
        try reader.forEachLine { number, bytes in lines.append(Line(number: number, bytes: Array(bytes))) }
        return lines
    }

    @Test func aMappedFileGivesEveryLineAsWritten() throws {
        let folder = TemporaryFolder("lines")
        let path = folder.file("events.ndjson")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.content)))
        // Pages let go every 16 KiB, so that lines are read across many releases.
        let reader = try FileLineReader(path: path, releaseStep: 16 << 10)
        let lines = try lines(of: reader)
        #expect(lines.count == Self.expected.count)
        #expect(lines == Self.expected)
        #expect(reader.consumed == Self.content.count)
    }

    @Test func aPipeGivesTheSameLines() throws {
        let folder = TemporaryFolder("lines")
        let path = folder.file("events.fifo")
        #expect(mkfifo(path, 0o600) == 0)
        let content = Self.content
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(content))
            try? handle.close()
        }
        writer.start()
        let reader = try FileLineReader(path: path)
        #expect(try lines(of: reader) == Self.expected)
    }

    @Test func anEmptyFileHasNoLines() throws {
        let folder = TemporaryFolder("lines")
        let reader = try FileLineReader(path: folder.write("empty.ndjson", ""))
        #expect(try lines(of: reader).isEmpty)
    }
}

/// A small seeded generator, so that the content is the same in every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
