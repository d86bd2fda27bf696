internal import LedgerJSON

/// What the reference and lifecycle rules (SPEC section 3, checks 3 and 4) need to know of one
/// event, read from its `data` in one pass after the schema has accepted it.
struct EventFacts: Sendable {
    var type: EventType
    var occurredOn: LocalDate
    var workerRef: String?
    var providerId: String?
    var newProviderId: String?
    var partnerId: String?
    var ownerPartnerId: String?
    var fromPartnerId: String?
    var toPartnerId: String?
    var caseId: String?
    var spellId: String?
    var referralId: String?
    var offerId: String?
    var concernId: String?
    var caseType: String?
    var targetEventId: EventID?
    var windowEndsOn: LocalDate?
    /// The member holding personal data (`pii`, `notes`), when the event carries one.
    var personalDataField: PersonalDataField?

    /// The id in the data field `field`, for the fields a stream template may name.
    func entityID(named field: String) -> String? {
        switch field {
        case "workerRef": workerRef
        case "providerId": providerId
        case "partnerId": partnerId
        case "caseId": caseId
        case "concernId": concernId
        default: nil
        }
    }

    /// Reads the facts of an event the schema has accepted: `root` is the event object.
    init(document: JSONDocument, root: Int, type: EventType) {
        self = document.withTape { EventFacts(tape: $0, root: root, type: type) }
    }

    /// Reads the facts from a borrowed tape.
    init(tape: JSONTape, root: Int, type: EventType) {
        self.type = type
        self.occurredOn = LocalDate(dayNumber: 0)
        var key = root + 1
        var dataIndex: Int?
        for _ in 0..<tape.count(root) {
            let value = key + 1
            if tape.isName(key, "occurredOn") {
                occurredOn = tape.withUTF8(value) { LocalDate(utf8: UnsafeRawBufferPointer($0)) } ?? occurredOn
            } else if tape.isName(key, "data") {
                dataIndex = value
            }
            key = tape.next(value)
        }
        guard let dataIndex else { return }
        key = dataIndex + 1
        for _ in 0..<tape.count(dataIndex) {
            let value = key + 1
            defer { key = tape.next(value) }
            if tape.kind(value) != .string {
                if tape.isName(key, "pii") { personalDataField = .pii }
                continue
            }
            func text() -> String { tape.decodedString(value) }
            let length = tape.raw(key).count
            switch length {
            case 3 where tape.isName(key, "pii"): personalDataField = .pii
            case 5 where tape.isName(key, "notes"): personalDataField = .notes
            case 6 where tape.isName(key, "caseId"): caseId = text()
            case 7 where tape.isName(key, "spellId"): spellId = text()
            case 7 where tape.isName(key, "offerId"): offerId = text()
            case 8 where tape.isName(key, "caseType"): caseType = text()
            case 9 where tape.isName(key, "workerRef"): workerRef = text()
            case 9 where tape.isName(key, "partnerId"): partnerId = text()
            case 9 where tape.isName(key, "concernId"): concernId = text()
            case 10 where tape.isName(key, "providerId"): providerId = text()
            case 10 where tape.isName(key, "referralId"): referralId = text()
            case 11 where tape.isName(key, "toPartnerId"): toPartnerId = text()
            case 12 where tape.isName(key, "windowEndsOn"):
                windowEndsOn = tape.withUTF8(value) { LocalDate(utf8: UnsafeRawBufferPointer($0)) }
            case 13 where tape.isName(key, "newProviderId"): newProviderId = text()
            case 13 where tape.isName(key, "fromPartnerId"): fromPartnerId = text()
            case 13 where tape.isName(key, "targetEventId"):
                targetEventId = tape.withUTF8(value) { EventID(utf8: UnsafeRawBufferPointer($0)) }
            case 14 where tape.isName(key, "ownerPartnerId"): ownerPartnerId = text()
            default: break
            }
        }
    }
}
