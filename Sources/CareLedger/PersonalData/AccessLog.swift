internal import LMDBStore
public import LedgerJSON
internal import Foundation

/// The record of personal-data reveals (SPEC section 6): who saw which worker's personal data,
/// through which command or route, and when.
///
/// It lives in an LMDB environment of its own (`DATA/access-log/`), not in the ledger's streams,
/// so reading never changes a stream's version; it is append-only and hash-chained like the
/// ledger: each entry's `hash` is SHA-256 over the previous entry's hash (32 zero bytes before
/// the first) and the entry's canonical JSON without `hash`.
public final class AccessLog: Sendable {
    /// One recorded reveal.
    public struct Entry: Sendable {
        public let seq: UInt64
        public let workerRef: String
        /// The entry as served: `seq`, `at`, `who`, `workerRef`, `via`, `eventSeqs`, `hash`.
        public let json: JSONValue
    }

    /// What a check of the chain found.
    public struct Verification: Sendable {
        public let entries: UInt64
        public let headHash: String
        /// The first entry whose hash does not recompute, if any.
        public let firstBadSeq: UInt64?
    }

    private let environment: Environment
    private let entries: Database

    public static func folder(in dataFolder: String) -> String { dataFolder + "/access-log" }

    /// Opens (creating if need be) the access log of a data folder; `readOnly` opens an existing
    /// one for listing and checking only, in a folder this process may not write as well.
    public init(dataFolder: String, readOnly: Bool = false) throws(LedgerError) {
        let folder = Self.folder(in: dataFolder)
        do {
            var options = Environment.Options()
            options.mapSize = 1 << 36
            options.readOnly = readOnly
            if readOnly {
                environment = try Environment(path: folder, options: options)
                entries = try environment.read { txn in try txn.openDatabase("entries") }
                return
            }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            environment = try Environment(path: folder, options: options)
            entries = try environment.write { txn in try txn.openDatabase("entries", options: [.create]) }
        } catch {
            throw LedgerError(.storage, "cannot open the access log in \(folder): \(error)")
        }
    }

    /// Records that `who` was shown the personal data of each worker of `reveals` (with the
    /// seqs of the events shown) through `via`: one entry a worker, in one durable transaction,
    /// before the data is shown.
    public func record(who: String, via: String, reveals: [String: [Seq]], at instant: Instant = .now()) throws(LedgerError) {
        guard !reveals.isEmpty else { return }
        do {
            try environment.write { txn in
                var (seq, previous) = try head(in: txn)
                for (worker, seqs) in reveals.sorted(by: { $0.key < $1.key }) {
                    seq += 1
                    let body: JSONValue = .object([
                        ("at", .string(instant.description)),
                        ("eventSeqs", .array(seqs.map { .integer(Int64($0.rawValue)) })),
                        ("seq", .integer(Int64(seq))),
                        ("via", .string(via)),
                        ("who", .string(who)),
                        ("workerRef", .string(worker)),
                    ])
                    let canonical = body.canonicalBytes
                    previous = EventHash.chaining(previous, canonical)
                    try txn.put(entries, key: bigEndianBytes(seq), value: previous.bytes + canonical)
                }
            }
        } catch {
            throw LedgerError(.storage, "recording the reveal in the access log failed, so nothing is revealed: \(error)")
        }
    }

    /// The entries, oldest first, only those about `worker` when it is given.
    public func list(worker: String? = nil) throws(LedgerError) -> [Entry] {
        var found: [Entry] = []
        try scan { seq, hash, canonical in
            guard let value = try? JSONValue(parsing: String(decoding: canonical, as: UTF8.self)),
                  let workerRef = value["workerRef"]?.stringValue else { return }
            if let worker, worker != workerRef { return }
            var members = value.objectValue ?? []
            members.append(("hash", .string(EventHash(bytes: hash).description)))
            members.sort { $0.0 < $1.0 }
            found.append(Entry(seq: seq, workerRef: workerRef, json: .object(members)))
        }
        return found
    }

    /// Recomputes the chain from the first entry.
    public func verify() throws(LedgerError) -> Verification {
        var previous = EventHash.zero
        var count: UInt64 = 0
        var bad: UInt64?
        try scan { seq, hash, canonical in
            count += 1
            let stored = EventHash(bytes: hash)
            if bad == nil, EventHash.chaining(previous, canonical) != stored || seq != count { bad = seq }
            previous = stored
        }
        return Verification(entries: count, headHash: previous.description, firstBadSeq: bad)
    }

    /// Copies the access log, compacted, into the data folder `destination`.
    public func copy(toDataFolder destination: String) throws(LedgerError) {
        let target = Self.folder(in: destination)
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try environment.copy(toFolder: target, compact: true)
        } catch {
            throw LedgerError(.storage, "copying the access log into \(destination) failed: \(error)")
        }
    }

    private func scan(_ body: (UInt64, [UInt8], [UInt8]) throws -> Void) throws(LedgerError) {
        do {
            try environment.read { txn in
                try txn.withCursor(entries) { cursor in
                    var found = try cursor.move(.first)
                    while found {
                        let value = Array(cursor.value)
                        guard value.count > 32 else { throw LedgerError(.verificationFailed, "an access-log entry is truncated") }
                        try body(readBigEndian(cursor.key), Array(value[..<32]), Array(value[32...]))
                        found = try cursor.move(.next)
                    }
                }
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "reading the access log failed: \(error)")
        }
    }

    private func head(in txn: Transaction) throws -> (UInt64, EventHash) {
        try txn.withCursor(entries) { cursor in
            guard try cursor.move(.last) else { return (0, EventHash.zero) }
            return (readBigEndian(cursor.key), EventHash(bytes: Array(cursor.value.prefix(32))))
        }
    }
}
