public import CareLedger
internal import LedgerJSON

/// An event as projections read it: its position, type, date and the members of `data` that any
/// read model uses, read from the stored canonical bytes in one pass.
///
/// Personal data (`pii`, `notes`) is never read here.
public struct ProjectedEvent: Sendable, Equatable {
    public var seq: Seq
    public var type: EventType
    public var occurredOn: LocalDate

    public var workerRef: String?
    public var providerId: String?
    public var newProviderId: String?
    public var partnerId: String?
    public var ownerPartnerId: String?
    public var fromPartnerId: String?
    public var toPartnerId: String?
    public var caseId: String?
    public var spellId: String?
    public var referralId: String?
    public var concernId: String?
    public var caseType: String?
    public var channel: String?
    public var outcome: String?
    public var reason: String?
    public var kind: String?
    public var route: String?
    public var laCode: String?
    public var name: String?
    public var evidence: String?
    public var platform: String?
    public var viaReplacement: Bool?
    public var windowEndsOn: LocalDate?
    public var targetEventId: EventID?
    public var referredTo: [String] = []

    /// An event built directly (for tests and generators).
    public init(seq: Seq, type: EventType, occurredOn: LocalDate) {
        self.seq = seq
        self.type = type
        self.occurredOn = occurredOn
    }

    /// A fact of this event, stamped with its seq and date. Inlinable, so that the array of
    /// texts a projection writes at the call can live on its stack: projections make one or more
    /// facts for every event they read.
    @inlinable
    public func fact(_ tag: UInt8, _ texts: [String?] = [], flag: Bool = false, date: LocalDate? = nil) -> Fact {
        Fact(seq: seq, occurredOn: occurredOn, tag: tag, flag: flag, date: date, texts: texts.map { $0 ?? "" })
    }
}

extension ProjectedEvent {
    /// Keeps the `data` member called `name` when a read model uses it and its value is a
    /// string (`utf8`, unescaped). Both readers (``CanonicalEventScanner`` and the parser's
    /// tape) go through here, so they cannot disagree on what a member means.
    mutating func keep(member name: UnsafeRawBufferPointer, string utf8: UnsafeRawBufferPointer) {
        func text() -> String { String(decoding: utf8, as: UTF8.self) }
        switch name.count {
        case 4 where name.isName("name"): self.name = text()
        case 4 where name.isName("kind"): kind = text()
        case 5 where name.isName("route"): route = text()
        case 6 where name.isName("caseId"): caseId = text()
        case 6 where name.isName("laCode"): laCode = text()
        case 6 where name.isName("reason"): reason = text()
        case 7 where name.isName("spellId"): spellId = text()
        case 7 where name.isName("channel"): channel = text()
        case 7 where name.isName("outcome"): outcome = text()
        case 8 where name.isName("caseType"): caseType = text()
        case 8 where name.isName("platform"): platform = text()
        case 8 where name.isName("evidence"): evidence = text()
        case 9 where name.isName("workerRef"): workerRef = text()
        case 9 where name.isName("partnerId"): partnerId = text()
        case 9 where name.isName("concernId"): concernId = text()
        case 10 where name.isName("providerId"): providerId = text()
        case 10 where name.isName("referralId"): referralId = text()
        case 11 where name.isName("toPartnerId"): toPartnerId = text()
        case 12 where name.isName("windowEndsOn"): windowEndsOn = LocalDate(utf8: utf8)
        case 13 where name.isName("newProviderId"): newProviderId = text()
        case 13 where name.isName("fromPartnerId"): fromPartnerId = text()
        case 13 where name.isName("targetEventId"): targetEventId = EventID(utf8: utf8)
        case 14 where name.isName("ownerPartnerId"): ownerPartnerId = text()
        default: break
        }
    }

    /// Keeps the `data` member called `name` when it is the yes/no a read model uses.
    mutating func keep(member name: UnsafeRawBufferPointer, bool value: Bool) {
        if name.isName("viaReplacement") { viaReplacement = value }
    }
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes are exactly `name`'s.
    @inline(__always)
    func isName(_ name: StaticString) -> Bool {
        count == name.utf8CodeUnitCount && (count == 0 || PlainText.equal(baseAddress!, name.utf8Start, count: count))
    }
}

/// Reads ``ProjectedEvent``s from canonical bytes: straight from the bytes when they are as the
/// ledger writes them (``CanonicalEventScanner``), else through the JSON parser, which also
/// names what is wrong with bytes that are not JSON.
struct ProjectedEventReader {
    private var document = JSONDocument()

    mutating func read(seq: Seq, type: EventType, canonical bytes: UnsafeRawBufferPointer) throws -> ProjectedEvent {
        if let event = CanonicalEventScanner.event(in: bytes, seq: seq, type: type) { return event }
        return try parsed(seq: seq, type: type, canonical: bytes)
    }

    /// The event read through the JSON parser: for bytes the scanner leaves (escapes, text that
    /// is not ASCII, damage), and as the reference the scanner is tested against.
    mutating func parsed(seq: Seq, type: EventType, canonical bytes: UnsafeRawBufferPointer) throws -> ProjectedEvent {
        do { try document.parse(bytes) } catch {
            throw LedgerError(.verificationFailed, "the stored event at seq \(seq) is not JSON: \(error)")
        }
        return document.withTape { tape in Self.read(tape, seq: seq, type: type) }
    }

    private static func read(_ tape: JSONTape, seq: Seq, type: EventType) -> ProjectedEvent {
        var event = ProjectedEvent(seq: seq, type: type, occurredOn: LocalDate(dayNumber: 0))
        var key = 1
        var dataIndex: Int?
        for _ in 0..<tape.count(0) {
            let value = key + 1
            if tape.isName(key, "occurredOn") {
                event.occurredOn = tape.withUTF8(value) { LocalDate(utf8: UnsafeRawBufferPointer($0)) } ?? event.occurredOn
            } else if tape.isName(key, "data") {
                dataIndex = value
            }
            key = tape.next(value)
        }
        guard let dataIndex else { return event }
        key = dataIndex + 1
        for _ in 0..<tape.count(dataIndex) {
            let value = key + 1
            defer { key = tape.next(value) }
            // A name with escapes is none that a read model uses.
            guard !tape.isEscaped(key) else { continue }
            let name = UnsafeRawBufferPointer(tape.raw(key))
            switch tape.kind(value) {
            case .string: tape.withUTF8(value) { event.keep(member: name, string: UnsafeRawBufferPointer($0)) }
            case .true, .false: event.keep(member: name, bool: tape.kind(value) == .true)
            case .array where name.isName("referredTo"):
                var element = value + 1
                for _ in 0..<tape.count(value) {
                    event.referredTo.append(tape.decodedString(element))
                    element = tape.next(element)
                }
            default: break
            }
        }
        return event
    }
}
