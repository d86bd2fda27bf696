public import LedgerJSON

/// The events of a batch whose `occurredOn` is after today's next day (a day's slack for time
/// zones), and the note that names them: `seq 1142's occurredOn, 2062-06-03, is after today, …`.
///
/// A day that has not come is a valid date (SPEC 3 checks only that it is one), so such an event
/// is checked and recorded as given; but a fact cannot have happened yet, and a year typed wrong
/// (2062 for 2026) lands in a period nobody reads and is missing from the one it belongs to. The
/// note goes beside every answer that checks or records events (append, record, import, their
/// checks, `POST /v1/events` as `notes`), so that a person looks before relying on them, and
/// retracts what landed wrong.
public struct DatedAhead: Sendable, Equatable {
    /// Where an event dated ahead is: in the log, or, before anything landed, in the batch.
    public enum Place: Sendable, Equatable {
        /// Appended at this seq: what a person retracts it by.
        case landed(Seq)
        /// Its line or index in a batch checked, or rows not yet appended: what a person mends.
        case inBatch(EventLocation)
    }

    /// One event dated ahead.
    public struct Event: Sendable, Equatable {
        public let occurredOn: LocalDate
        public let place: Place
    }

    /// The day the batch was checked or recorded (UTC).
    public let today: LocalDate
    /// How many events of the batch are dated ahead.
    public private(set) var count = 0
    /// The first of them, in the batch's order: at most ``listedMost``.
    public private(set) var listed: [Event] = []

    /// The most events the note names one by one.
    public static let listedMost = 8

    public init(today: LocalDate) { self.today = today }

    /// Whether `day` is after today's next day.
    public func isAhead(_ day: LocalDate) -> Bool { day.days(since: today) > 1 }

    /// Takes an event of the batch, dated `day`; one not ahead changes nothing.
    public mutating func add(_ day: LocalDate, at place: Place) {
        guard isAhead(day) else { return }
        count += 1
        if listed.count < Self.listedMost { listed.append(Event(occurredOn: day, place: place)) }
    }

    /// Takes each new event of an appended batch (a duplicate was noted when it first landed).
    public mutating func add(_ positions: [EventPosition]) {
        for position in positions where !position.wasDuplicate { add(position.occurredOn, at: .landed(position.seq)) }
    }

    /// What to tell a person, or `nil` when no event is dated ahead.
    public var note: String? {
        guard let first = listed.first else { return nil }
        let landed = if case .landed = first.place { true } else { false }
        if count == 1 {
            let tail = landed ? "It was recorded as given: if the date is wrong, retract it and record it again"
                              : "A day that has not come yet is taken as given"
            return "\(Self.name(first))'s occurredOn, \(first.occurredOn), is after today, \(today): is its year right? \(tail)"
        }
        let numbers = listed.map(Self.number)
        let named = count > listed.count ? numbers.joined(separator: ", ") + " and \(count - listed.count) more"
                                         : numbers.dropLast().joined(separator: ", ") + " and " + numbers.last!
        let tail = landed ? "They were recorded as given: retract any whose date is wrong and record it again"
                          : "A day that has not come yet is taken as given"
        return "\(Self.kind(first))s \(named) have an occurredOn after today, \(today) (\(Self.name(first)): \(first.occurredOn)): are their years right? \(tail)"
    }

    /// `notes`, as JSON answers carry them beside what they answer: the note, or nothing.
    public var notes: [(String, JSONValue)] {
        note.map { [("notes", .array([.string($0)]))] } ?? []
    }

    private static func name(_ event: Event) -> String { "\(kind(event)) \(number(event))" }

    private static func kind(_ event: Event) -> String {
        switch event.place {
        case .landed: "seq"
        case .inBatch(.index): "event"
        case .inBatch(.line): "line"
        }
    }

    private static func number(_ event: Event) -> String {
        switch event.place {
        case .landed(let seq): seq.description
        case .inBatch(.index(let index)): String(index)
        case .inBatch(.line(let line)): String(line)
        }
    }
}
