public import LedgerJSON

/// Where an appended event landed: what `POST /v1/events` and `careledger append` answer.
public struct EventPosition: Sendable, Equatable {
    /// The event's id: the one sent, or the one the ledger assigned.
    public let id: EventID
    /// Its global position.
    public let seq: Seq
    /// The stream the ledger derived for it.
    public let stream: StreamID
    /// Its position in that stream.
    public let streamVersion: StreamVersion
    /// Its hash in the chain.
    public let hash: EventHash
    /// Whether the event was already stored with identical content (the append was a no-op).
    public let wasDuplicate: Bool
    /// The day it happened in the world, as written: for the note on events dated ahead.
    public let occurredOn: LocalDate

    /// As `POST /v1/events` answers it (SPEC 8): `{"id", "seq", "stream", "streamVersion", "hash"}`.
    public var json: JSONValue {
        .object([("id", .string(id.description)), ("seq", .integer(Int64(seq.rawValue))), ("stream", .string(stream.rawValue)),
                 ("streamVersion", .integer(Int64(streamVersion.rawValue))), ("hash", .string(hash.description))])
    }
}

/// The outcome of appending one batch.
public struct AppendResult: Sendable {
    /// One position per event of the batch, in order.
    public let positions: [EventPosition]
    /// The head of the log after the batch.
    public let head: LogHead
    /// Its new events dated after tomorrow, which a person should look at.
    public let datedAhead: DatedAhead

    init(positions: [EventPosition], head: LogHead, today: LocalDate = Instant.now().date) {
        self.positions = positions
        self.head = head
        var datedAhead = DatedAhead(today: today)
        datedAhead.add(positions)
        self.datedAhead = datedAhead
    }

    /// Whether every event of the batch was already stored (HTTP answers 200 rather than 201).
    public var onlyDuplicates: Bool { positions.allSatisfy(\.wasDuplicate) }

    /// As `POST /v1/events` answers it: `{"events": [position, …]}`, and `notes` when some of
    /// them are dated ahead.
    public var json: JSONValue { .object([("events", .array(positions.map(\.json)))] + datedAhead.notes) }
}

/// The outcome of an import.
public struct ImportSummary: Sendable {
    /// Events appended by the import.
    public let appended: Int
    /// Events already stored with identical content, skipped.
    public let duplicates: Int
    /// The first seq the import appended, when it appended any.
    public let firstSeq: Seq?
    /// The last seq the import appended, when it appended any.
    public let lastSeq: Seq?
    /// The head of the log after the import.
    public let head: LogHead
    /// Its new events dated after tomorrow, which a person should look at.
    public let datedAhead: DatedAhead
}
