public import CareLedger
#if canImport(Glibc)
internal import Glibc
#endif

/// A stored fact read in place: its times, tag, flag and date decoded, its texts only when asked
/// for. A query that reads thousands of records and needs a few texts of each makes no arrays
/// and no strings it does not use.
///
/// It points into the read transaction's memory (LMDB's own pages, which a read transaction
/// never sees change): valid while the ``ProjectionReader`` that handed it over is, so within
/// one query, never to be kept beyond it.
public struct FactView: FactReading {
    public let seq: Seq
    public let occurredOn: LocalDate
    public let retractedAt: Seq?
    public let tag: UInt8
    public let flag: Bool
    public let date: LocalDate?
    /// The fact's texts as stored: a count byte, then each text as a 2-byte length and its UTF-8.
    let texts: UnsafeRawBufferPointer

    public subscript(index: Int) -> String { String(decoding: text(index), as: UTF8.self) }

    /// Whether this fact's text at `index` and `other`'s at `otherIndex` are the same, compared
    /// in place.
    public func text(_ index: Int, equals other: FactView, _ otherIndex: Int) -> Bool {
        let a = text(index), b = other.text(otherIndex)
        return a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Every text, in order.
    var allTexts: [String] {
        var texts: [String] = []
        texts.reserveCapacity(Int(self.texts[0]))
        var offset = 1
        for _ in 0..<Int(self.texts[0]) {
            let end = offset + 2 + length(at: offset)
            texts.append(String(decoding: UnsafeRawBufferPointer(rebasing: self.texts[(offset + 2)..<end]), as: UTF8.self))
            offset = end
        }
        return texts
    }

    /// The UTF-8 of the text at `index`, empty when the fact has fewer.
    private func text(_ index: Int) -> UnsafeRawBufferPointer {
        guard index >= 0, index < Int(texts[0]) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        var offset = 1
        for _ in 0..<index { offset += 2 + length(at: offset) }
        return UnsafeRawBufferPointer(rebasing: texts[(offset + 2)..<(offset + 2 + length(at: offset))])
    }

    private func length(at offset: Int) -> Int { Int(texts[offset]) << 8 | Int(texts[offset + 1]) }
}

extension Fact {
    /// The fact a view reads, its texts made.
    public init(_ view: FactView) {
        self.init(seq: view.seq, occurredOn: view.occurredOn, tag: view.tag, flag: view.flag, date: view.date, texts: view.allTexts)
        retractedAt = view.retractedAt
    }
}
