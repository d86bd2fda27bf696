#if canImport(Glibc)
internal import Glibc
#endif

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

    /// Made once: these are looked for in every event a replay or a timeline reads.
    private static let recordedAtMarker = Array(#","recordedAt":""#.utf8)
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
    /// The type named by `utf8`, found without making a `String`: replay asks this of every event.
    package static func named(_ utf8: UnsafeRawBufferPointer) -> EventType? {
        guard let (type, name) = byFingerprint[fingerprint(utf8)], name.count == utf8.count,
              name.withUnsafeBytes({ memcmp($0.baseAddress!, utf8.baseAddress!, utf8.count) == 0 }) else { return nil }
        return type
    }

    private static let byFingerprint: [UInt64: (EventType, [UInt8])] = Dictionary(
        uniqueKeysWithValues: allCases.map { type in
            let name = Array(type.rawValue.utf8)
            return (name.withUnsafeBytes { fingerprint($0) }, (type, name))
        })

    /// FNV-1a over the bytes.
    private static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
