internal import LMDBStore

/// The named databases of the log's LMDB environment, all written in the one transaction that
/// appends a batch, so an index can never disagree with the events it points at.
///
/// | name | key | value |
/// |---|---|---|
/// | `events` | seq (8 bytes, big-endian) | ``StoredRecord``: hash, data end, canonical JSON |
/// | `eventIds` | event id (16 bytes) | seq, type code |
/// | `streams` | stream name | duplicates: version and seq (8 + 8 bytes) |
/// | `types` | type name | duplicates: seq |
/// | `spells` | spellId | seq of its end (0 while open), then its workerRef |
/// | `offers`, `referrals` | offerId, referralId | seq of the event that made it |
/// | `cases` | caseId | seq of its `CaseClosed` (0 while open), caseType, workerRef |
/// | `openCases` | workerRef, 0, caseType | caseId |
/// | `retractions` | seq of a retracted event | seq of its `EventRetracted` |
/// | `meta` | `format`, `head` | the format version; head seq, hash and recordedAt |
struct LogDatabases: Sendable {
    let events, eventIds, streams, types, spells, offers, referrals, cases, openCases, retractions, meta: Database

    static let formatVersion: UInt64 = 1

    init(in txn: Transaction, create: Bool) throws {
        let plain: Database.Options = create ? [.create] : []
        let duplicates: Database.Options = plain.union([.duplicateSort, .duplicateFixed])
        events = try txn.openDatabase("events", options: plain)
        eventIds = try txn.openDatabase("eventIds", options: plain)
        streams = try txn.openDatabase("streams", options: duplicates)
        types = try txn.openDatabase("types", options: duplicates)
        spells = try txn.openDatabase("spells", options: plain)
        offers = try txn.openDatabase("offers", options: plain)
        referrals = try txn.openDatabase("referrals", options: plain)
        cases = try txn.openDatabase("cases", options: plain)
        openCases = try txn.openDatabase("openCases", options: plain)
        retractions = try txn.openDatabase("retractions", options: plain)
        meta = try txn.openDatabase("meta", options: plain)
    }
}

/// The head of the log: the last event's seq, hash and recording instant.
public struct LogHead: Sendable, Equatable {
    /// The last event's seq (0 for an empty log).
    public let seq: Seq
    /// Its hash (32 zero bytes for an empty log): with `seq`, the digest to publish.
    public let hash: EventHash
    /// When it was recorded.
    public let recordedAt: Instant?

    static let empty = LogHead(seq: .zero, hash: .zero, recordedAt: nil)

    /// `SEQ:HASH`, the digest line a board can print in its minutes (`careledger digest`).
    public var digestLine: String { PublishedDigest(self).description }

    var encoded: [UInt8] {
        Array(seq.key) + hash.bytes + bigEndianBytes(UInt64(bitPattern: recordedAt?.microseconds ?? 0))
    }

    init(seq: Seq, hash: EventHash, recordedAt: Instant?) {
        self.seq = seq
        self.hash = hash
        self.recordedAt = recordedAt
    }

    init?(encoded raw: UnsafeRawBufferPointer) {
        guard raw.count == 48 else { return nil }
        seq = Seq(readBigEndian(raw))
        hash = EventHash(bytes: Array(raw[8..<40]))
        let micros = Int64(bitPattern: readBigEndian(raw, at: 40))
        recordedAt = seq == .zero ? nil : Instant(microseconds: micros)
    }
}

/// A SHA-256 hash of the chain: 32 bytes, shown as lowercase hex.
public struct EventHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// The 32 zero bytes that stand before the first event.
    public static let zero = EventHash(bytes: [UInt8](repeating: 0, count: 32))

    /// A hash from its 32 bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses 64 hex digits.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = hexDigit(utf8[i]), let low = hexDigit(utf8[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}
