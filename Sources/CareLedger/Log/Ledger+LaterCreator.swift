internal import LedgerJSON

/// Where a refused batch creates, too late, what one of its events names.
///
/// A provider's return sorted by worker, or a spreadsheet sorted by type, can name a worker
/// before the line that registers it. Events are taken in order, so the reference is refused,
/// and "which does not exist" alone sends staff looking for a registration that is right there
/// in their file. These are read only after such a refusal: the events are parsed again, and not
/// checked.
extension Ledger {
    /// The first event after `location` in `body` (either form) that would create `stream` (a
    /// `WorkerRegistered`, `ProviderRegistered`, `PartnerRegistered` or `CaseOpened`).
    static func laterCreator(of stream: String, in body: [UInt8], after location: EventLocation) -> EventLocation? {
        switch location {
        case .index(let refused):
            let events = (try? JSONValue(parsing: String(decoding: body, as: UTF8.self)))?["events"]?.arrayValue ?? []
            return events.indices.first { $0 > refused && creates(events[$0], stream) }.map(EventLocation.index)
        case .line(let refused):
            let id = id(of: stream)
            var lines = LineSplitter(body)
            while let (number, bytes) = lines.next() {
                if number > refused, creates(line: bytes, stream, id: id) { return .line(number) }
            }
            return nil
        }
    }

    /// `error` told which later line of the NDJSON file at `path` creates the stream it found
    /// missing, when one does; `error` as it was otherwise.
    ///
    /// An import streams its file and stops at its first refusal, so only then does it read the
    /// rest of the file again, parsing no line that does not hold the missing id. Standard input
    /// and other files that cannot be read twice are not read again.
    static func namingLaterCreator(in error: LedgerError, ofFileAt path: String) -> LedgerError {
        guard let missing = error.missingStream, case .line(let refused)? = error.location,
              let creator = laterCreator(of: missing, inFileAt: path, after: refused) else { return error }
        return CheckProblems.naming(.line(creator), of: missing, in: error)
    }

    private static func laterCreator(of stream: String, inFileAt path: String, after refused: Int) -> Int? {
        guard path != "-", WholeFile.regularFileSize(path) != nil, let reader = try? FileLineReader(path: path) else { return nil }
        let id = id(of: stream)
        struct Found: Error { let line: Int }
        do {
            try reader.forEachLine { number, bytes in
                if number > refused, creates(line: bytes, stream, id: id) { throw Found(line: number) }
            }
        } catch let found as Found {
            return found.line
        } catch {}
        return nil
    }

    /// The id of `stream`, as an event's line would hold it: the stream's name after its kind.
    private static func id(of stream: String) -> [UInt8] {
        Array(stream.utf8.drop { $0 != UInt8(ascii: "-") }.dropFirst())
    }

    /// Whether the NDJSON line `bytes` is an event that creates `stream`, whose id is `id`: a
    /// line that does not hold the id is not parsed.
    private static func creates(line bytes: UnsafeRawBufferPointer, _ stream: String, id: [UInt8]) -> Bool {
        guard ByteSearch.firstOffset(of: id, in: bytes) != nil,
              let event = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) else { return false }
        return creates(event, stream)
    }

    /// Whether `event` is one that creates `stream`.
    private static func creates(_ event: JSONValue, _ stream: String) -> Bool {
        guard let type = event["type"]?.stringValue, let (kind, field) = creators[type],
              let id = event["data"]?[field]?.stringValue else { return false }
        return "\(kind)-\(id)" == stream
    }

    /// The event types that create what a reference names: the stream kind and the id field.
    private static let creators: [String: (kind: String, field: String)] = [
        "WorkerRegistered": ("worker", "workerRef"), "ProviderRegistered": ("provider", "providerId"),
        "PartnerRegistered": ("partner", "partnerId"), "CaseOpened": ("case", "caseId"),
    ]
}
