public import CareLedger
internal import LedgerJSON

/// An event as projections read it: its position, type, date and the members of `data` that any
/// read model uses, read from the stored canonical bytes in one pass.
///
/// Personal data (`pii`, `notes`) is never read here.
public struct ProjectedEvent: Sendable {
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

    /// A fact of this event, stamped with its seq and date.
    public func fact(_ tag: UInt8, _ texts: [String?] = [], flag: Bool = false, date: LocalDate? = nil) -> Fact {
        Fact(seq: seq, occurredOn: occurredOn, tag: tag, flag: flag, date: date, texts: texts.map { $0 ?? "" })
    }
}

/// Reads ``ProjectedEvent``s from canonical bytes, reusing one parse buffer.
struct ProjectedEventReader {
    private var document = JSONDocument()

    mutating func read(seq: Seq, type: EventType, canonical bytes: UnsafeRawBufferPointer) throws -> ProjectedEvent {
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
            switch tape.kind(value) {
            case .string: break
            case .true, .false:
                if tape.isName(key, "viaReplacement") { event.viaReplacement = tape.kind(value) == .true }
                continue
            case .array:
                if tape.isName(key, "referredTo") {
                    var element = value + 1
                    for _ in 0..<tape.count(value) {
                        event.referredTo.append(tape.decodedString(element))
                        element = tape.next(element)
                    }
                }
                continue
            default: continue
            }
            func text() -> String { tape.decodedString(value) }
            switch tape.raw(key).count {
            case 4 where tape.isName(key, "name"): event.name = text()
            case 4 where tape.isName(key, "kind"): event.kind = text()
            case 5 where tape.isName(key, "route"): event.route = text()
            case 6 where tape.isName(key, "caseId"): event.caseId = text()
            case 6 where tape.isName(key, "laCode"): event.laCode = text()
            case 6 where tape.isName(key, "reason"): event.reason = text()
            case 7 where tape.isName(key, "spellId"): event.spellId = text()
            case 7 where tape.isName(key, "channel"): event.channel = text()
            case 7 where tape.isName(key, "outcome"): event.outcome = text()
            case 8 where tape.isName(key, "caseType"): event.caseType = text()
            case 8 where tape.isName(key, "platform"): event.platform = text()
            case 8 where tape.isName(key, "evidence"): event.evidence = text()
            case 9 where tape.isName(key, "workerRef"): event.workerRef = text()
            case 9 where tape.isName(key, "partnerId"): event.partnerId = text()
            case 9 where tape.isName(key, "concernId"): event.concernId = text()
            case 10 where tape.isName(key, "providerId"): event.providerId = text()
            case 10 where tape.isName(key, "referralId"): event.referralId = text()
            case 11 where tape.isName(key, "toPartnerId"): event.toPartnerId = text()
            case 12 where tape.isName(key, "windowEndsOn"):
                event.windowEndsOn = tape.withUTF8(value) { LocalDate(utf8: UnsafeRawBufferPointer($0)) }
            case 13 where tape.isName(key, "newProviderId"): event.newProviderId = text()
            case 13 where tape.isName(key, "fromPartnerId"): event.fromPartnerId = text()
            case 13 where tape.isName(key, "targetEventId"):
                event.targetEventId = tape.withUTF8(value) { EventID(utf8: UnsafeRawBufferPointer($0)) }
            case 14 where tape.isName(key, "ownerPartnerId"): event.ownerPartnerId = text()
            default: break
            }
        }
        return event
    }
}
