#if canImport(Glibc)
internal import Glibc
#endif
internal import LedgerJSON

/// Reads single top-level members straight from canonical bytes, without parsing the event:
/// RFC 8785 sorts members, so `recordedAt` and `type` sit in known places after `data` and `meta`.
package enum CanonicalMember {
    /// The `recordedAt` of a stored event.
    static func recordedAt(in bytes: UnsafeRawBufferPointer) -> Instant? {
        guard let start = lastIndex(of: recordedAtMarker, in: bytes) else { return nil }
        let valueStart = start + recordedAtMarker.count
        var end = valueStart
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
        return Instant(rfc3339UTF8: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<end]))
    }

    /// The `occurredOn` of a stored event. Its last copy is the top-level member: `meta`, before
    /// it, may hold a key of that name, and no member after it a quote.
    package static func occurredOn(in bytes: UnsafeRawBufferPointer) -> LocalDate? {
        guard let start = lastIndex(of: occurredOnMarker, in: bytes) else { return nil }
        let valueStart = start + occurredOnMarker.count
        guard valueStart + 10 <= bytes.count else { return nil }
        return LocalDate(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<(valueStart + 10)]), as: UTF8.self))
    }

    /// Made once: these are looked for in every event a replay or a timeline reads.
    private static let recordedAtMarker = Array(#","recordedAt":""#.utf8)
    private static let occurredOnMarker = Array(#","occurredOn":""#.utf8)
    private static let typeMarker = Array(#""type":"#.utf8)

    /// The `type` of a stored event: the last member, so the bytes end `"type":"…"}`.
    package static func type(in bytes: UnsafeRawBufferPointer) -> EventType? {
        let count = bytes.count
        guard count > 12, bytes[count - 1] == UInt8(ascii: "}"), bytes[count - 2] == UInt8(ascii: "\"") else { return nil }
        var start = count - 3
        while start > 0, bytes[start] != UInt8(ascii: "\"") { start -= 1 }
        guard start >= typeMarker.count, equal(bytes, at: start - typeMarker.count, typeMarker) else { return nil }
        return EventType.named(UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(count - 2)]))
    }

    private static func lastIndex(of marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = bytes.count - marker.count
        while index >= 0 {
            if bytes[index] == marker[0], equal(bytes, at: index, marker) { return index }
            index -= 1
        }
        return nil
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ marker: [UInt8]) -> Bool {
        guard offset >= 0, offset + marker.count <= bytes.count else { return false }
        return marker.withUnsafeBytes { memcmp(bytes.baseAddress! + offset, $0.baseAddress!, marker.count) == 0 }
    }
}

extension EventType {
    /// The type named by `utf8`, found without making a `String` or hashing through `Hasher`:
    /// replay asks this of every event in the log.
    package static func named(_ utf8: UnsafeRawBufferPointer) -> EventType? {
        NameTable.shared.type(named: utf8)
    }

    /// FNV-1a over the bytes.
    fileprivate static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

/// The types by name in an open-addressed table (linear probing, four times as many slots as
/// types, indexed by the name's fingerprint), with every name's bytes in one buffer. Made once
/// and kept for the life of the process, so that a lookup touches no reference count.
private struct NameTable: @unchecked Sendable {
    static let shared = NameTable()

    /// Each slot's type ordinal, or -1.
    private let slots: UnsafeMutableBufferPointer<Int8>
    /// The names, one after another; the name of ordinal `i` is `names[starts[i]..<starts[i + 1]]`.
    private let names: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int>

    private init() {
        let types = EventType.allCases
        slots = .allocate(capacity: 128)
        slots.initialize(repeating: -1)
        precondition(slots.count >= 4 * types.count && types.count < Int(Int8.max))
        let all = types.flatMap { Array($0.rawValue.utf8) }
        names = .allocate(capacity: all.count)
        _ = names.initialize(from: all)
        starts = .allocate(capacity: types.count + 1)
        var start = 0
        for (ordinal, type) in types.enumerated() {
            precondition(type.ordinal == ordinal)
            starts[ordinal] = start
            let count = type.rawValue.utf8.count
            var slot = Int(truncatingIfNeeded: EventType.fingerprint(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: names[start..<(start + count)])))) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int8(ordinal)
            start += count
        }
        starts[types.count] = start
    }

    func type(named utf8: UnsafeRawBufferPointer) -> EventType? {
        var slot = Int(truncatingIfNeeded: EventType.fingerprint(utf8)) & (slots.count - 1)
        while slots[slot] >= 0 {
            let ordinal = Int(slots[slot])
            let start = starts[ordinal], count = starts[ordinal + 1] - start
            if count == utf8.count, PlainText.equal(names.baseAddress! + start, utf8.baseAddress!, count: count) {
                return EventType(ordinal: ordinal)
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }
}
