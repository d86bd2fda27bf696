#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A UTC instant with microsecond precision: transaction time (`recordedAt`, `--known-at`).
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    /// The instant `microseconds` after 1970-01-01T00:00:00Z.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The system clock's reading.
    public static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(microseconds: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    /// The first instant after this one.
    public var next: Instant { Instant(microseconds: microseconds + 1) }

    /// The date of this instant in UTC.
    public var date: LocalDate {
        LocalDate(dayNumber: Int(microseconds >= 0 ? microseconds / 86_400_000_000 : (microseconds - 86_399_999_999) / 86_400_000_000))
    }

    public static func < (a: Instant, b: Instant) -> Bool { a.microseconds < b.microseconds }

    /// RFC 3339 in UTC with six fractional digits, as the ledger writes `recordedAt`:
    /// `2025-04-01T09:00:00.000000Z`.
    public var description: String {
        let day = date
        let inDay = microseconds - Int64(day.dayNumber) * 86_400_000_000
        let seconds = Int(inDay / 1_000_000)
        let micros = Int(inDay % 1_000_000)
        return "\(day)T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(micros, 6))Z"
    }

    /// Parses an RFC 3339 instant (`2025-04-01T09:00:00Z`, `…T10:00:00.5+01:00`); a date alone
    /// (`2025-04-01`) means the end of that day in UTC. `nil` for anything else.
    public init?(rfc3339 text: String) {
        var text = text
        guard let instant = text.withUTF8({ Instant(rfc3339UTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = instant
    }

    /// The same, from UTF-8 bytes: a stored event's `recordedAt` is read in place, once per
    /// event a timeline shows.
    package init?(rfc3339UTF8 b: UnsafeRawBufferPointer) {
        if b.count == 10, let date = LocalDate(utf8: b) {
            self.microseconds = Int64(date.dayNumber + 1) * 86_400_000_000 - 1
            return
        }
        guard b.count >= 20, let date = LocalDate(utf8: UnsafeRawBufferPointer(rebasing: b[0..<10])),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? { decimal(b, range) }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var micros = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                if digits < 6 { micros = micros * 10 + Int(b[i] - UInt8(ascii: "0")) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"),
                  let oh = number(i + 1..<i + 3), let om = number(i + 4..<i + 6), oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetSeconds)
        self.microseconds = seconds * 1_000_000 + Int64(micros)
    }
}

extension Instant {
    /// Appends ``description``'s bytes without making a string: this runs once per appended event.
    func appendRFC3339(to out: inout [UInt8]) {
        let day = date
        let (y, m, d) = day.components
        let inDay = microseconds - Int64(day.dayNumber) * 86_400_000_000
        let seconds = Int(inDay / 1_000_000)
        // Written into 27 bytes on the stack and appended at once: every event the ledger writes
        // renders its recordedAt, and appending a byte at a time checked the capacity each time.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { text in
            var at = 0
            func put(_ value: Int, _ width: Int, then separator: Unicode.Scalar) {
                var rest = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    text[at + offset] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                text[at + width] = UInt8(ascii: separator)
                at += width + 1
            }
            put(y, 4, then: "-"); put(m, 2, then: "-"); put(d, 2, then: "T")
            put(seconds / 3600, 2, then: ":"); put(seconds / 60 % 60, 2, then: ":"); put(seconds % 60, 2, then: ".")
            put(Int(inDay % 1_000_000), 6, then: "Z")
            out.append(contentsOf: UnsafeBufferPointer(text))
        }
    }
}

