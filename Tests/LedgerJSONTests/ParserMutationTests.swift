import LedgerJSON
import LedgerTestSupport
import Testing

/// The parser is written by hand and faces every writer's bytes (a request body over HTTP, an
/// import of any file): on broken input it must answer with an error, never crash, and what it
/// accepts must come out of the canonical writer in a form it reads back to the same bytes.
@Suite struct ParserMutationTests {
    static let seeds: [String] = [
        #"{"id":"9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10","type":"EmploymentStarted","schemaVersion":1,"occurredOn":"2024-05-01","data":{"workerRef":"W-00123","spellId":"S-00123-1","providerId":"P-042","jobRole":"careWorker","contractType":"permanent","viaReplacement":false},"meta":{"actor":"staff:jk","source":"import:provider-return"}}"#,
        #"{"events":[{"type":"JobOfferMade","schemaVersion":1,"occurredOn":"2024-05-01","data":{"weeklyHours":37.5,"hourlyPayPence":1250,"repaymentClause":{"amountPence":150000,"months":24,"interestFree":true,"itemised":null}}}],"expectedVersions":{"worker-W-1":4}}"#,
        #"[1e21, -0, 0.000001, 123456789012345678, "\u00e9\ud83d\ude00\n\t\"", {"a":[[],{}]}, true, false, null]"#,
    ]

    @Test(arguments: 0..<3)
    func brokenInputIsRefusedOrReadBackTheSame(seed: Int) throws {
        var mutations = Mutations(seed: UInt64(seed + 1) * 7919)
        let original = Array(Self.seeds[seed].utf8)
        var accepted = 0
        for _ in 0..<3000 {
            let input = mutations.mutate(original)
            var document = JSONDocument()
            guard (try? document.parse(input)) != nil else { continue }
            accepted += 1
            var writer = CanonicalJSONWriter()
            writer.write(document, value: document.root)
            var again = JSONDocument()
            try again.parse(writer.bytes)
            var rewritten = CanonicalJSONWriter()
            rewritten.write(again, value: again.root)
            #expect(rewritten.bytes == writer.bytes, "canonical form is a fixed point: \(String(decoding: input, as: UTF8.self))")
        }
        #expect(accepted > 0, "some mutations stay valid JSON, so the check above ran")
    }

    @Test func deepNestingIsRefusedNotOverflowed() {
        for opener in ["[", "{\"a\":"] {
            var document = JSONDocument()
            let text = String(repeating: opener, count: 100_000)
            #expect(throws: JSONSyntaxError.self) { try document.parse(Array(text.utf8)) }
        }
    }
}
