internal import LedgerJSON

/// A re-sent event recognised from the stored bytes alone.
///
/// Re-running an import (a retry after a failure, a file sent twice) makes every event a
/// duplicate, and comparing one the general way parses the stored event twice (for its written
/// members, then for its stream and version) and renders both sides again: three fifths of the
/// committing thread's instructions in such a run. Most re-sent events are byte for byte what
/// was stored, since both sides are RFC 8785 canonical: this test settles those without parsing,
/// and says nothing about the others, which are compared as before.
extension StoredEvent {
    /// Where the stored event lies, when its stored form holds exactly what `event` would write:
    /// the same `data`, `meta` and `occurredOn` bytes around the id, and the same schema version
    /// and type. `nil` when it does not, or when the form is not laid out as this ledger writes
    /// it, or when the event carries personal data (compared as plaintext, by opening the stored
    /// ciphertext): `nil` decides nothing.
    func exactCopy(of event: PreparedEvent) -> (stream: String, streamVersion: UInt64)? {
        guard event.personalData == nil else { return nil }
        return canonicalBytes.withUnsafeBytes { stored in
            event.rendered.withUnsafeBytes { rendered in
                Self.exactCopy(stored: stored, rendered: rendered, idOffset: event.idOffset,
                               schemaVersion: event.entry.schemaVersion, typeMember: event.entry.typeMember)
            }
        }
    }

    /// The stored form is `RENDERED-TO-ID` + 36 id characters + `RENDERED-AFTER-ID` +
    /// `,"recordedAt":"…","schemaVersion":S,"seq":N,"stream":"NAME","streamVersion":V` + the type member.
    private static func exactCopy(
        stored: UnsafeRawBufferPointer, rendered: UnsafeRawBufferPointer, idOffset: Int,
        schemaVersion: Int, typeMember: [UInt8]
    ) -> (stream: String, streamVersion: UInt64)? {
        // The 36 characters at idOffset are the id, which the id index has already matched.
        let afterID = rendered.count - idOffset
        let renderedEnd = idOffset + 36 + afterID
        guard stored.count > renderedEnd + typeMember.count,
              bytesEqual(stored, 0, rendered, 0, count: idOffset),
              bytesEqual(stored, idOffset + 36, rendered, idOffset, count: afterID)
        else { return nil }
        // The tail, read from its end: the type member, the stream's version, the stream's name.
        var end = stored.count - typeMember.count
        guard typeMember.withUnsafeBytes({ bytesEqual(stored, end, $0, 0, count: typeMember.count) }) else { return nil }
        var version: UInt64 = 0, digits = 0, scale: UInt64 = 1
        while end > renderedEnd, let digit = decimalDigit(stored[end - 1]), digits < 19 {
            version += UInt64(digit) * scale
            scale *= 10
            digits += 1
            end -= 1
        }
        guard digits > 0, consume(#"","streamVersion":"#, endingAt: &end, in: stored, after: renderedEnd) else { return nil }
        // `end` is now just after the stream's name, which holds no quote.
        let nameEnd = end
        var nameStart = nameEnd
        while nameStart > renderedEnd, stored[nameStart - 1] != UInt8(ascii: "\"") { nameStart -= 1 }
        end = nameStart
        guard nameStart < nameEnd, consume(#","stream":""#, endingAt: &end, in: stored, after: renderedEnd) else { return nil }
        // Between the rendered part and the stream: recordedAt, the schema version, the seq.
        var at = renderedEnd
        guard expect(#","recordedAt":""#, at: &at, in: stored, before: end) else { return nil }
        while at < end, stored[at] != UInt8(ascii: "\"") { at += 1 }
        guard expect(#"","schemaVersion":"#, at: &at, in: stored, before: end) else { return nil }
        var storedVersion = 0
        while at < end, let digit = decimalDigit(stored[at]), storedVersion < 1_000_000 {
            storedVersion = storedVersion * 10 + Int(digit)
            at += 1
        }
        guard storedVersion == schemaVersion, expect(#","seq":"#, at: &at, in: stored, before: end) else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: stored[nameStart..<nameEnd]), as: UTF8.self)
        return (name, version)
    }

    /// Moves `at` past `text` if the bytes from `at` are `text` (and end by `limit`).
    private static func expect(_ text: StaticString, at: inout Int, in bytes: UnsafeRawBufferPointer, before limit: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard at + count <= limit,
              bytesEqual(bytes, at, UnsafeRawBufferPointer(start: text.utf8Start, count: count), 0, count: count) else { return false }
        at += count
        return true
    }

    /// Moves `end` back over `text` if the bytes just before it are `text` (and lie after `floor`).
    private static func consume(_ text: StaticString, endingAt end: inout Int, in bytes: UnsafeRawBufferPointer, after floor: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard end - count >= floor else { return false }
        let raw = UnsafeRawBufferPointer(start: text.utf8Start, count: count)
        guard bytesEqual(bytes, end - count, raw, 0, count: count) else { return false }
        end -= count
        return true
    }
}

private func bytesEqual(_ a: UnsafeRawBufferPointer, _ aStart: Int, _ b: UnsafeRawBufferPointer, _ bStart: Int, count: Int) -> Bool {
    guard aStart >= 0, bStart >= 0, aStart + count <= a.count, bStart + count <= b.count else { return false }
    guard count > 0 else { return true }
    return PlainText.equal(a.baseAddress! + aStart, b.baseAddress! + bStart, count: count)
}

private func decimalDigit(_ byte: UInt8) -> UInt8? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
}
