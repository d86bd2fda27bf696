/// Where a ZIP archive points outside itself, checked before ZIPFoundation reads it.
///
/// ZIPFoundation trusts the offsets and sizes an archive gives: reading from memory, it stops
/// the whole process when one points past the end of the bytes (a range whose end is before its
/// start), and when a size is over `Int64.max`. One damaged workbook chosen on the `/record`
/// page stopped the server. So the places ZIPFoundation will go to are worked out here first,
/// from the same fields by the same rules (its `Archive.makeIterator`, `Entry.dataOffset` and
/// `extract`), and an archive that sends it past its end is refused as damaged. An archive
/// that a spreadsheet program wrote always lies within itself, so nothing it wrote is refused.
enum ZIPBounds {
    /// Why `bytes` cannot be given to ZIPFoundation, or `nil` when every place it will read lies
    /// within them (or it will refuse the archive itself, as it does one without an end record).
    static func problem(in bytes: [UInt8]) -> String? {
        let length = UInt64(bytes.count)
        guard let end = endRecord(in: bytes) else { return nil }
        var (position, entries) = (UInt64(bytes.word(at: end + 16)), UInt64(bytes.half(at: end + 10)))
        if let zip64 = zip64EndRecord(in: bytes, endAt: end) {
            (position, entries) = (bytes.doubleWord(at: zip64 + 48), bytes.doubleWord(at: zip64 + 32))
        }
        var index: UInt64 = 0
        while index < entries {
            guard position <= length else { return "its central directory begins past the end of the file" }
            guard let entry = CentralEntry(bytes, at: Int(position)) else { return nil }  // where ZIPFoundation stops reading
            index += 1
            guard entry.localHeader <= length else { return "its part \(index) begins past the end of the file" }
            let header = Int(entry.localHeader)
            guard header + 30 <= bytes.count, bytes.word(at: header) == 0x04034B50 else { return nil }  // ZIPFoundation stops here too
            let dataStart = entry.localHeader + 30 + UInt64(bytes.half(at: header + 26)) + UInt64(bytes.half(at: header + 28))
            guard dataStart <= length else { return nil }  // its header cannot be read whole: ZIPFoundation stops
            let room = length - dataStart
            let stored = entry.compressionMethod == 0
            guard entry.compressedSize <= room, !stored || entry.uncompressedSize <= room else {
                return "its part \(index) is larger than the file that holds it"
            }
            position = entry.next
        }
        return nil
    }

    /// The end of central directory record, as ZIPFoundation finds it: the last signature at
    /// least 22 bytes before the end.
    private static func endRecord(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        return stride(from: bytes.count - 22, through: 0, by: -1).first { bytes.word(at: $0) == 0x06054B50 }
    }

    /// The ZIP64 end record ZIPFoundation takes: 76 bytes before the end record, behind a locator
    /// 20 bytes before it, each with its signature, the record needing version 4.5.
    private static func zip64EndRecord(in bytes: [UInt8], endAt end: Int) -> Int? {
        guard end > 20, end - 20 > 56 else { return nil }
        let locator = end - 20, record = end - 76
        guard bytes.word(at: locator) == 0x07064B50, bytes.word(at: record) == 0x06064B50,
              bytes.half(at: record + 14) >= 45 else { return nil }
        return record
    }

    /// One entry of the central directory, its sizes and offset as ZIPFoundation takes them:
    /// a 32-bit field of all ones is given in the entry's ZIP64 extra field instead, when that
    /// field holds exactly the values so marked.
    private struct CentralEntry {
        let compressionMethod: UInt16
        let compressedSize: UInt64, uncompressedSize: UInt64, localHeader: UInt64
        /// Where the next entry begins.
        let next: UInt64

        init?(_ bytes: [UInt8], at start: Int) {
            guard start + 46 <= bytes.count, bytes.word(at: start) == 0x02014B50 else { return nil }
            let nameLength = Int(bytes.half(at: start + 28)), extraLength = Int(bytes.half(at: start + 30))
            let total = 46 + nameLength + extraLength + Int(bytes.half(at: start + 32))
            guard start + total <= bytes.count else { return nil }
            compressionMethod = bytes.half(at: start + 10)
            let compressed = bytes.word(at: start + 20), uncompressed = bytes.word(at: start + 24), offset = bytes.word(at: start + 42)
            let extra = Array(bytes[(start + 46 + nameLength)..<(start + 46 + nameLength + extraLength)])
            let wide = Self.zip64Values(in: extra, uncompressed: uncompressed == .max, compressed: compressed == .max,
                                        offset: offset == .max, disk: bytes.half(at: start + 34) == .max)
            func effective(_ narrow: UInt32, _ value: UInt64?) -> UInt64 { (value ?? 0) > 0 ? value! : UInt64(narrow) }
            uncompressedSize = effective(uncompressed, wide?.uncompressed)
            compressedSize = effective(compressed, wide?.compressed)
            localHeader = effective(offset, wide?.offset)
            next = UInt64(start + total)
        }

        /// The values of the ZIP64 extended information field (id 1) among `extra`'s fields,
        /// each present when its 32-bit field is all ones; `nil` when there is none, or its size
        /// is not exactly those values'.
        private static func zip64Values(in extra: [UInt8], uncompressed: Bool, compressed: Bool, offset: Bool, disk: Bool)
            -> (uncompressed: UInt64?, compressed: UInt64?, offset: UInt64?)? {
            var position = 0
            while position < extra.count - 4 {
                let size = Int(extra.half(at: position + 2)), next = position + 4 + size
                guard next <= extra.count else { return nil }
                if extra.half(at: position) == 1 {
                    let fields = [uncompressed, compressed, offset].filter { $0 }.count * 8 + (disk ? 4 : 0)
                    guard size == fields else { return nil }
                    var reading = position + 4
                    func value(_ present: Bool) -> UInt64? {
                        guard present else { return nil }
                        defer { reading += 8 }
                        return extra.doubleWord(at: reading)
                    }
                    return (value(uncompressed), value(compressed), value(offset))
                }
                position = next
            }
            return nil
        }
    }
}

private extension Array where Element == UInt8 {
    /// The little-endian integer of `width` bytes at `offset`.
    func little<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T {
        (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(self[offset + $1]) << ($1 * 8) }
    }
    func half(at offset: Int) -> UInt16 { little(UInt16.self, at: offset) }
    func word(at offset: Int) -> UInt32 { little(UInt32.self, at: offset) }
    func doubleWord(at offset: Int) -> UInt64 { little(UInt64.self, at: offset) }
}
