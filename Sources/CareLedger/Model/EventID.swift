/// An event's `id`: a UUID, held as its 16 bytes and written in lowercase.
public struct EventID: Hashable, Sendable, CustomStringConvertible {
    let high: UInt64
    let low: UInt64

    /// Parses `8-4-4-4-12` hexadecimal (either case); `nil` for anything else.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ EventID(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    package init?(utf8: UnsafeRawBufferPointer) {
        let dash = UInt8(ascii: "-")
        guard utf8.count == 36, utf8[8] == dash, utf8[13] == dash, utf8[18] == dash, utf8[23] == dash else { return nil }
        // Digit by digit over fixed positions (every import parses one id an event), through a
        // table rather than a branch on whether a digit is a letter: random ids made that branch
        // a coin toss, and perf put the parse at 6% of the preparing thread, mostly those misses.
        var high: UInt64 = 0, low: UInt64 = 0
        var invalid: UInt8 = 0
        hexDigitValues.withUnsafeBufferPointer { values in
            for i in 0..<36 where i != 8 && i != 13 && i != 18 && i != 23 {
                let value = values[Int(utf8[i])]
                invalid |= value
                if i < 19 { high = high << 4 | UInt64(value & 0xF) } else { low = low << 4 | UInt64(value & 0xF) }
            }
        }
        guard invalid < 0x10 else { return nil }
        self.high = high
        self.low = low
    }

    init(bytes: UnsafeRawBufferPointer) {
        self.high = readBigEndian(bytes, at: 0)
        self.low = readBigEndian(bytes, at: 8)
    }

    /// The id the ledger assigns to an event written without one: a version 7 UUID (RFC 9562)
    /// made from the event's `recordedAt`, so that ids assigned in recording order also sort in
    /// that order.
    ///
    /// The id index is a B-tree keyed by the id's bytes: random (version 4) ids land on a
    /// different page each, and every commit rewrites one page per event; ids that grow with
    /// time land together at the index's end. The 48-bit millisecond is followed by the
    /// microsecond within it (RFC 9562's method 3, in the 12 bits of `rand_a`), then 62 random bits.
    public static func timeOrdered(at instant: Instant) -> EventID {
        var generator = SystemRandomNumberGenerator()
        return timeOrdered(at: instant, using: &generator)
    }

    static func timeOrdered(at instant: Instant, using generator: inout some RandomNumberGenerator) -> EventID {
        let milliseconds = UInt64(max(instant.microseconds, 0) / 1000) & 0xFFFF_FFFF_FFFF
        let fraction = UInt64(max(instant.microseconds, 0) % 1000) * 4096 / 1000
        let high = milliseconds << 16 | 0x7000 | fraction
        let low = (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return EventID(high: high, low: low)
    }

    /// A random (version 4) id, from `generator` (the demo's ids, the same for the same seed).
    static func random(using generator: inout some RandomNumberGenerator) -> EventID {
        let high = (generator.next() as UInt64) & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return EventID(high: high, low: low)
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The 16 bytes, for the id index.
    var key: [UInt8] { bigEndianBytes(high) + bigEndianBytes(low) }

    /// Calls `body` with ``key``'s 16 bytes on the stack, for lookups made once per event.
    func withKey<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var words = (high.bigEndian, low.bigEndian)
        return try withUnsafeBytes(of: &words, body)
    }

    public var description: String {
        var out = [UInt8]()
        out.reserveCapacity(36)
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Each byte's value as a hexadecimal digit of either case, and 0xFF for a byte that is none.
private let hexDigitValues: [UInt8] = (0...255).map { hexDigit(UInt8($0)) ?? 0xFF }

extension EventID {
    /// Appends ``description``'s bytes without making a string: written into 36 bytes on the
    /// stack and appended once, since the ledger does this for every event it appends.
    func appendText(to out: inout [UInt8]) {
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &text) { buffer in
            var at = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[at] = UInt8(ascii: "-")
                    at += 1
                }
                let word = nibble < 16 ? high : low
                let digit = UInt8(truncatingIfNeeded: word >> UInt64(60 - (nibble % 16) * 4)) & 0xF
                buffer[at] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                at += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<36]))
        }
    }
}
