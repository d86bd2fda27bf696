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

    @Test func aTieIsNotGuessedAt() {
        #expect(NearestName.suggestion(for: "ab", among: ["ac", "ad"]) == nil)
        #expect(NearestName.suggestion(for: "ab", among: ["ac", "abcd"]) == "ac")
        #expect(NearestName.hint(for: "selfreferral", among: ["selfReferral", "displaced"]) == " (did you mean selfReferral?)")
        #expect(NearestName.hint(for: "other", among: ["selfReferral", "displaced"]) == "")
    }
}
