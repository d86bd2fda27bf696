internal import LedgerJSON

/// What the reference and lifecycle rules (SPEC section 3, checks 3 and 4) need to know of one
/// event, read from its `data` in one pass after the schema has accepted it.
struct EventFacts {
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
    var personalDataField: String?

    /// Reads the facts of an event the schema has accepted: `root` is the event object.
    init(document: JSONDocument, root: Int, type: EventType) {
        self.type = type
        var occurredOn = LocalDate(dayNumber: 0)
        var dataIndex: Int?
        for (key, value) in document.members(root) {
            if document.stringEquals(key, "occurredOn") {
                occurredOn = LocalDate(document.string(value)) ?? occurredOn
            } else if document.stringEquals(key, "data") {
                dataIndex = value
            }
        }
        self.occurredOn = occurredOn
        guard let dataIndex else { return }
        for (key, value) in document.members(dataIndex) {
            let name = document.string(key)
            switch name {
            case "pii", "notes": personalDataField = name
            case "windowEndsOn": windowEndsOn = LocalDate(document.string(value))
            case "targetEventId": targetEventId = EventID(document.string(value))
            default:
                guard document.kind(value) == .string else { continue }
                let text = document.string(value)
                switch name {
                case "workerRef": workerRef = text
                case "providerId": providerId = text
                case "newProviderId": newProviderId = text
                case "partnerId": partnerId = text
                case "ownerPartnerId": ownerPartnerId = text
                case "fromPartnerId": fromPartnerId = text
                case "toPartnerId": toPartnerId = text
                case "caseId": caseId = text
                case "spellId": spellId = text
                case "referralId": referralId = text
                case "offerId": offerId = text
                case "concernId": concernId = text
                case "caseType": caseType = text
                default: break
                }
            }
        }
    }
}
