public import LedgerJSON

/// An event as the log keeps it: its hash and its canonical bytes (the stored form minus `hash`,
/// in RFC 8785 form), which is exactly what the hash covers.
///
/// In LMDB the record is the 32 hash bytes, the 4-byte big-endian offset at which the canonical
/// `data` member ends, and the canonical bytes. Because members are sorted, `hash` belongs
/// right after `data`, so the served form, canonical too, is made by splicing it in there.
public struct StoredEvent: Sendable {
    /// Its global position.
    public let seq: Seq
    /// Its hash: SHA-256 over the previous hash and `canonicalBytes`.
    public let hash: EventHash
    /// The stored form minus `hash`, canonical (RFC 8785): what the chain hashes.
    public let canonicalBytes: [UInt8]
    let dataEnd: Int

    static let headerSize = 36

    init(seq: Seq, record: UnsafeRawBufferPointer) throws(LedgerError) {
        guard record.count > Self.headerSize else {
            throw LedgerError(.verificationFailed, "the stored record of seq \(seq) is truncated")
        }
        self.seq = seq
        self.hash = EventHash(bytes: Array(record[0..<32]))
        let end = Int(record[32]) << 24 | Int(record[33]) << 16 | Int(record[34]) << 8 | Int(record[35])
        self.canonicalBytes = Array(record[Self.headerSize...])
        guard end > 0, end < canonicalBytes.count else {
            throw LedgerError(.verificationFailed, "the stored record of seq \(seq) has a bad data offset")
        }
        self.dataEnd = end
    }

    static func encodeHeader(hash: [UInt8], dataEnd: Int, into buffer: UnsafeMutableRawBufferPointer) {
        buffer.copyBytes(from: hash)
        let offset = UInt32(dataEnd).bigEndian
        withUnsafeBytes(of: offset) { buffer.baseAddress!.advanced(by: 32).copyMemory(from: $0.baseAddress!, byteCount: 4) }
    }

    /// The event as served (`read`, `GET /v1/events`): the stored form with its `hash`, canonical.
    public var servedJSON: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(canonicalBytes.count + 80)
        out.append(contentsOf: canonicalBytes[0..<dataEnd])
        out.append(contentsOf: #","hash":""#.utf8)
        out.append(contentsOf: hash.description.utf8)
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: canonicalBytes[dataEnd...])
        return out
    }

    /// The stored form (without `hash`) as a value, to read its members.
    public func json() throws(LedgerError) -> JSONValue {
        try Self.json(canonical: canonicalBytes, seq: seq)
    }

    /// The canonical bytes of the event at `seq` (as a replay gives them) as a value.
    static func json(canonical bytes: some Collection<UInt8>, seq: Seq) throws(LedgerError) -> JSONValue {
        do { return try JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) } catch {
            throw LedgerError(.verificationFailed, "the stored event at seq \(seq) is not JSON: \(error)")
        }
    }

    /// The stored form parsed (without `hash`), for reading its members.
    func document() throws(LedgerError) -> JSONDocument {
        var document = JSONDocument()
        do { try document.parse(canonicalBytes) } catch {
            throw LedgerError(.verificationFailed, "the stored event at seq \(seq) is not JSON: \(error)")
        }
        return document
    }
}
