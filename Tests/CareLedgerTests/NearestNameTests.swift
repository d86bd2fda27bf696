@testable import CareLedger
import Testing

@Suite("Did you mean: the nearest known name")
struct NearestNameTests {
    static let types = EventType.allCases.map(\.rawValue)

    @Test("a slip is named", arguments: [
        ("WorkerRegisterd", "WorkerRegistered"),  // a letter missing
        ("workerregistered", "WorkerRegistered"),  // case
        ("WokrerArrived", "WorkerArrived"),  // two letters swapped
        ("EmploymentStartedd", "EmploymentStarted"),  // a letter doubled
        ("CaseClose", "CaseClosed"),
    ])
    func slips(given: String, meant: String) {
        #expect(NearestName.suggestion(for: given, among: Self.types) == meant)
    }

    @Test("nothing is guessed for a name unlike any, or as close to two", arguments: [
        "WorkerLeft", "Foo", "", "EmploymentChanged", String(repeating: "x", count: 100),
    ])
    func noGuess(given: String) {
        #expect(NearestName.suggestion(for: given, among: Self.types) == nil)
    }

    /// A field of an id written without its suffix, or with another: what integrators from
    /// other systems write (`provider`, `workerId`), too many edits away to count as a slip.
    @Test("an id's suffix left off or another written", arguments: [
        ("toPartner", "toPartnerId"), ("provider", "providerId"), ("workerId", "workerRef"), ("worker", "workerRef"),
        ("caseID", "caseId"), ("spell", "spellId"),
    ])
    func idSuffixes(given: String, meant: String) {
        let fields = ["workerRef", "providerId", "toPartnerId", "fromPartnerId", "caseId", "spellId", "kind", "reason"]
        #expect(NearestName.suggestion(for: given, among: fields) == meant)
    }

    @Test func aTieIsNotGuessedAt() {
        #expect(NearestName.suggestion(for: "partner", among: ["partnerId", "partnerRef"]) == nil)
        #expect(NearestName.suggestion(for: "ab", among: ["ac", "ad"]) == nil)
        #expect(NearestName.suggestion(for: "ab", among: ["ac", "abcd"]) == "ac")
        #expect(NearestName.hint(for: "selfreferral", among: ["selfReferral", "displaced"]) == " (did you mean selfReferral?)")
        #expect(NearestName.hint(for: "other", among: ["selfReferral", "displaced"]) == "")
    }
}
