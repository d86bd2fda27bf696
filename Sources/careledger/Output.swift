import CareLedger
import LedgerJSON
#if canImport(Glibc)
import Glibc
#endif

/// Buffered standard output: `read` of a million events must not make a million writes.
final class BufferedOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func line(_ bytes: [UInt8]) {
        write(bytes)
        buffer.append(UInt8(ascii: "\n"))
    }

    func line(_ text: String) { line(Array(text.utf8)) }

    func flush() {
        if !buffer.isEmpty && !StandardStream.output.write(buffer) { StandardOutput.lost(errno) }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// Prints one JSON value on a line, members in the order given.
func printJSON(_ value: JSONValue) {
    print(value.compactText)
}

/// Formats rows as aligned columns under a header, for people.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let rows = rows.map { $0.map { TerminalText.visible($0) } }
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func format(_ row: [String]) -> String {
        let line = row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
        }.joined(separator: "  ")
        return String(line.reversed().drop { $0 == " " }.reversed())
    }
    return ([format(header)] + rows.map(format)).joined(separator: "\n")
}

