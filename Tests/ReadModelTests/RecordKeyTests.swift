import CareLedger
import ProjectionKit
import Testing

/// Record keys: held in the value up to ``RecordKey/inlineCapacity`` bytes, in an array beyond;
/// both forms must mean exactly the bytes they hold.
@Suite struct RecordKeyTests {
    /// Keys of every length around the inline capacity, some sharing their first 40 bytes.
    static let samples: [[UInt8]] = {
        var keys: [[UInt8]] = []
        for length in 0...(RecordKey.inlineCapacity + 24) {
            keys.append((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) })
            keys.append(Array(repeating: 0xFF, count: length))
            keys.append(Array(repeating: 0, count: length))
        }
        let shared = Array(repeating: UInt8(ascii: "k"), count: RecordKey.inlineCapacity)
        keys += [shared + [0], shared + [1], shared + [1, 0], shared + [2], Array(shared.dropLast()) + [0x6C]]
        return keys
    }()

    @Test func aKeyHoldsExactlyItsBytesWhateverItsLength() {
        for bytes in Self.samples {
            let key = RecordKey(bytes: bytes)
            #expect(key.bytes == bytes)
            #expect(key.count == bytes.count)
            #expect(key.withUnsafeBytes { Array($0) } == bytes)
            #expect(!key.isUnique)
        }
    }

    @Test func keysAreEqualHashAndOrderAsTheirBytes() {
        let keys = Self.samples.map { RecordKey(bytes: $0) }
        for (i, a) in keys.enumerated() {
            for (j, b) in keys.enumerated() {
                let x = Self.samples[i], y = Self.samples[j]
                #expect((a == b) == (x == y), "\(x) == \(y)")
                #expect((a < b) == x.lexicographicallyPrecedes(y), "\(x) < \(y)")
                if x == y { #expect(a.hashValue == b.hashValue) }
            }
        }
        #expect(Set(keys).count == Set(Self.samples).count)
    }

    @Test func projectionKeysAreLaidOutAsTheStoreExpects() {
        let seq = Seq(0x0102_0304_0506_0708)
        let seqBytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let day = LocalDate(year: 2025, month: 1, day: 31)!
        let long = String(repeating: "W", count: 64)  // the longest id: the key spills
        for id in ["C-1", long, ""] {
            let entity = RecordKey.entity("case", id)
            #expect(entity.bytes == Array("case:\(id)".utf8) && !entity.isUnique)
            #expect(entity == RecordKey(bytes: Array("case:\(id)".utf8)))
            #expect(entity.entityID == id && entity.belongs(to: "case") && !entity.belongs(to: "cas") && !entity.belongs(to: "cases"))
            let member = RecordKey.member("workerCase", id, seq)
            #expect(member.bytes == RecordKey.members("workerCase", id) + seqBytes && member.isUnique)
            #expect(member.shared == member && !member.shared.isUnique && member.shared.bytes == member.bytes)
        }
        let dated = RecordKey.dated("act", day, seq)
        #expect(dated.bytes == RecordKey.datePrefix("act", day) + seqBytes && dated.isUnique)
        #expect(RecordKey.onDay("month", day).bytes == RecordKey.datePrefix("month", day))
        #expect(RecordKey.dated("act", day, seq) < RecordKey.dated("act", day.adding(days: 1), Seq(1)))
        let prefix = RecordKey.datePrefix("act", day)
        #expect(Array(prefix.prefix(4)) == RecordKey.prefix("act") && prefix.count == 8)
        #expect(prefix.withUnsafeBytes { RecordKey.day(in: $0, at: 4) } == day)
        let days = [LocalDate(year: 1, month: 1, day: 1)!, LocalDate(year: 1969, month: 12, day: 31)!, day, LocalDate(year: 9999, month: 12, day: 31)!]
        #expect(days.map { RecordKey.onDay("d", $0) } == days.map { RecordKey.onDay("d", $0) }.sorted())
    }

    @Test func aNameKnownAfterItsDayCarriesTheDayItIsKnownFrom() {
        let day = LocalDate(year: 2025, month: 3, day: 1)!
        for (knownFrom, carried) in [(nil, nil), (day, nil), (day.adding(days: -1), nil), (day.adding(days: 1), day.adding(days: 1))] as [(LocalDate?, LocalDate?)] {
            let key = RecordKey.onDay("by-laCode", day, name: "E08000025", knownFrom: knownFrom)
            let (name, known) = key.withUnsafeBytes { bytes in
                let (name, known) = RecordKey.name(in: bytes[RecordKey.datePrefix("by-laCode", day).count...])
                return (Array(name), known)
            }
            #expect(name == Array("E08000025".utf8) && known == carried)
            #expect(key.bytes.count == 10 + 4 + 9 + (carried == nil ? 0 : 5))
        }
        var via: UInt8 = 1
        #expect(withUnsafeBytes(of: &via) { RecordKey.onDay("v", day, then: $0) }.bytes == RecordKey.datePrefix("v", day) + [1])
    }
}
