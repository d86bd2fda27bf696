import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// The hash chain covers each event's canonical form (RFC 8785), numbers included, so an
/// auditor's JCS library must print every number as the ledger did. This holds the ledger's
/// reading and printing of numbers to `Tools/reference/es6number.py`, an independent reading of
/// ECMAScript's Number::toString over Python's correctly rounded `float`.
@Suite("Numbers in the canonical form agree with an independent reading of RFC 8785")
struct NumberAgreementTests {
    @Test func everyNumberPrintsAsTheReferencePrintsIt() throws {
        let python = try #require(ReferencePython.interpreter(), "python3 is on every machine of this kind")
        let texts = Self.numberTexts(count: 60_000)
        let ours = try texts.map { text -> String in
            let document = try JSONDocument(parsing: text)
            var writer = CanonicalJSONWriter()
            writer.write(document, value: document.root)
            return String(decoding: writer.bytes, as: UTF8.self)
        }

        let run = try ReferencePython.run(python, ReferencePython.script("es6number.py"), input: texts.map { $0 + "\n" }.joined())
        let theirs = run.output.split(separator: "\n").map(String.init)
        try #require(run.status == 0 && theirs.count == texts.count, "\(run.errors)")

        let differences = zip(texts, zip(ours, theirs)).filter { $1.0 != $1.1 }.map { "\($0): careledger \($1.0), reference \($1.1)" }
        #expect(differences.count == 0, "\(differences.count) of \(texts.count) differ:\n\(differences.prefix(20).joined(separator: "\n"))")
    }

    /// JSON number texts, the same in every run: doubles of every magnitude from random bits, as
    /// Swift writes them; long decimal texts (more digits than a double holds, so the reading
    /// must round correctly); and the hours and pence of real events.
    static func numberTexts(count: Int) -> [String] {
        var random = Mutations(seed: 8785)
        func digits(_ length: Int) -> String { String((0..<length).map { _ in Character(String(random.below(10))) }) }
        var texts: [String] = []
        while texts.count < count {
            switch random.below(4) {
            case 0:
                let bits = (UInt64(random.below(1 << 32)) << 32) | UInt64(random.below(1 << 32))
                let value = Double(bitPattern: bits)
                if value.isFinite { texts.append("\(value)") }
            case 1:
                let sign = random.below(2) == 0 ? "" : "-"
                let whole = String(random.below(9) + 1) + digits(random.below(25))
                let fraction = random.below(2) == 0 ? "" : "." + digits(random.below(25) + 1)
                let exponent = random.below(600) - 300 - whole.count
                texts.append("\(sign)\(whole)\(fraction)e\(exponent)")
            case 2:
                texts.append("\(random.below(169)).\(digits(random.below(4) + 1))")
            default:
                texts.append(String(random.below(1 << 53)))
            }
        }
        return texts
    }
}
