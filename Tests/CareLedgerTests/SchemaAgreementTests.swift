@testable import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// The files of `Schemas/` are what provider returns, job platforms and council case systems
/// validate against with their own libraries before they send. These tests hold the ledger's own
/// validator to an independent JSON Schema 2020-12 implementation (Python's `jsonschema`, through
/// `Tools/reference/schemacheck.py`) on thousands of events changed one member at a time: an
/// event such a library accepts, the ledger's schema check accepts, and one it refuses, the
/// ledger refuses, naming a member that library names too.
@Suite("Schemas agree with an independent JSON Schema implementation")
struct SchemaAgreementTests {
    @Test func theValidatorDecidesAsPythonsJSONSchemaDoes() throws {
        let python = try #require(ReferencePython.interpreter(importing: ["jsonschema"]),
                                  "a python3 with jsonschema: pip's has it on this kind of machine; Tools/test.sh installs Debian's python3-jsonschema where none has")
        let cases = SchemaCases.all()
        let run = try ReferencePython.run(python, ReferencePython.script("schemacheck.py"), [SchemaTests.schemaFolder],
                                          input: cases.map { $0.text + "\n" }.joined())
        try #require(run.status == 0, "\(run.errors)")
        let verdicts = try run.output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        try #require(verdicts.count == cases.count)

        var (accepted, refused) = (0, 0)
        var disagreements: [String] = []
        for (number, (event, verdict)) in zip(cases, verdicts).enumerated() {
            let ours = try event.ourViolation()
            let theirs = verdict["pointers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            switch (ours, verdict["valid"]) {
            case (nil, .bool(true)?):
                accepted += 1
            case (let violation?, .bool(false)?) where theirs.contains(where: { violation.pointer == $0 || violation.pointer.hasPrefix($0 + "/") }):
                refused += 1
            default:
                let said = ours.map { "refused at \($0.pointer) (\($0.rule))" } ?? "accepted"
                disagreements.append("case \(number + 1), \(event.change): careledger \(said); jsonschema \(verdict.compactText)\n  \(event.text)")
            }
        }
        #expect(disagreements.count == 0, "\(disagreements.count) of \(cases.count) cases disagree:\n\(disagreements.prefix(25).joined(separator: "\n"))")
        // A corpus that both sides mostly refuse, or mostly accept, would prove little.
        #expect(accepted >= 5_000 && refused >= 20_000, "accepted \(accepted), refused \(refused)")
    }
}

/// Events of every type, each with one member removed, replaced by another JSON value or joined
/// by an unknown one: values of every JSON type, at and beyond each bound of the schemas
/// (lengths in characters outside ASCII and the Basic Multilingual Plane too), real and unreal
/// calendar dates, near-miss enumeration values, ids and UUIDs.
enum SchemaCases {
    struct Case {
        let type: EventType
        let change: String
        let text: String

        /// The ledger's schema check of this case.
        func ourViolation() throws -> SchemaViolation? {
            let document = try JSONDocument(parsing: text)
            return SchemaValidator(document: document).validate(document.root, against: EventCatalogue.standard.entry(type, version: 1)!.root)
        }
    }

    static func all() -> [Case] {
        bases().flatMap { type, event in
            var cases = [Case(type: type, change: "unchanged", text: event.compactText)]
            for (path, value) in members(of: event) where path != ["type"] && path != ["schemaVersion"] {
                let at = "/" + path.joined(separator: "/")
                if Int(path.last!) == nil {  // a member, not an element
                    cases.append(Case(type: type, change: "\(at) removed", text: replacing(event, at: path, with: nil).compactText))
                }
                if case .object = value {
                    let joined = replacing(event, at: path + ["zzz"], with: 1)
                    cases.append(Case(type: type, change: "\(at)/zzz added", text: joined.compactText))
                }
                let placeholder = replacing(event, at: path, with: "@@RAW@@").compactText
                for raw in rawValues + variants(of: value) {
                    let text = placeholder.replacingOccurrences(of: "\"@@RAW@@\"", with: raw)
                    cases.append(Case(type: type, change: "\(at) = \(raw.prefix(40))", text: text))
                }
            }
            cases.append(Case(type: type, change: "/zzz added", text: replacing(event, at: ["zzz"], with: 1).compactText))
            return cases
        }
    }

    /// Every example of the catalogue, with `id`, `stream` and `meta`, and with its optional
    /// members filled where the example leaves them out.
    static func bases() -> [(EventType, JSONValue)] {
        var events = Fixtures.examples.sorted { $0.key < $1.key }.map(\.value)
        events += [
            Fixtures.event("WorkerRegistered", ["workerRef": "W-8", "route": "overseasRecruitment", "nationality": "PH", "laCode": "E08000025", "yearOfEntry": 2023,
                                                "pii": ["givenName": "Maria", "familyName": "Santos", "dateOfBirth": "1990-04-02", "email": "m@example.org", "phone": "+44 7700 900123"]]),
            Fixtures.event("SupportProvided", ["caseId": "C-1", "partnerId": "PT-2", "kind": "housing", "notes": "Rent arrears; landlord called."]),
            Fixtures.event("PartnerRegistered", ["partnerId": "PT-8", "name": "Advice", "kind": "adviceService", "laCode": "E08000025"]),
            Fixtures.event("ProviderRegistered", ["providerId": "P-8", "name": "Care", "laCode": "E08000025", "sponsorRating": "b"]),
        ]
        return events.map { event in
            let type = EventType(rawValue: event["type"]!.stringValue!)!
            var withTop = Fixtures.setting(event, top: "id", to: "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10")
            withTop = Fixtures.setting(withTop, top: "stream", to: "worker-W-1")
            withTop = Fixtures.setting(withTop, top: "meta", to: ["actor": "staff:jk", "source": "test"])
            return (type, withTop)
        }
    }

    /// JSON texts put in place of each member in turn.
    static let rawValues: [String] = {
        let numbers = ["null", "true", "false", "0", "-0", "-1", "1", "1.0", "1.5", "1e2", "1E+2", "12.50", "0.0001", "168", "168.0", "169",
                       "1899", "1900", "2100", "2101", "99", "100", "9007199254740991", "9007199254740992", "-9007199254740991"]
        let x64 = String(repeating: "x", count: 64)
        let strings = ["", " ", "x", "X", "W-1\n", "W 1", "W-1 ", "\u{E9}", "\u{1F600}", x64, x64 + "x",
                       String(repeating: "a", count: 200), String(repeating: "a", count: 201),
                       String(repeating: "\u{E9}", count: 200), String(repeating: "\u{E9}", count: 201),
                       String(repeating: "\u{1F600}", count: 200), String(repeating: "\u{1F600}", count: 201),
                       String(repeating: "\u{1F600}", count: 50), String(repeating: "\u{1F600}", count: 51),
                       "2024-02-29", "2023-02-29", "2024-04-31", "2024-04-30", "2024-1-01", "2024-13-01", "2024-00-10", "0000-01-01", "0000-02-29", "0000-02-30", "1900-02-29", "2000-02-29",
                       "9999-12-31", "2024-05-01T00:00:00Z", " 2024-05-01", "E08000025", "e08000025", "X08000025", "PH", "GB", "UK", "ph",
                       "9b2f6c1e-3c1a-4e7e-9a54-2f1d0c3b7a10", "9B2F6C1E-3C1A-4E7E-9A54-2F1D0C3B7A10", "9b2f6c1e3c1a4e7e9a542f1d0c3b7a10",
                       "6135", "careWorker", "fees", "glaa", "a", "b", "true"]
        let structures = ["[]", "[\"fees\"]", "[\"fees\",\"fees\"]", "[\"fees\",\"debt\"]", "[\"glaa\"]", "[\"glaa\",\"nrm\"]", "[1]", "[null]",
                          "{}", "{\"a\":\"b\"}", "{\"givenName\":\"A\"}", "{\"amountPence\":1,\"months\":1,\"interestFree\":true,\"itemised\":true}"]
        return numbers + strings.map { JSONValue.string($0).compactText } + structures
    }()

    /// Near misses of a string value: another case, a letter more, a trailing newline.
    static func variants(of value: JSONValue) -> [String] {
        guard let text = value.stringValue, let first = text.first else { return [] }
        let flipped = (first.isUppercase ? first.lowercased() : first.uppercased()) + text.dropFirst()
        return [flipped, text + "x", text + "\n"].map { JSONValue.string($0).compactText }
    }

    /// Every member and element of `value`, depth first, with its path.
    static func members(of value: JSONValue, at path: [String] = []) -> [([String], JSONValue)] {
        switch value {
        case .object(let members):
            members.flatMap { name, member in [(path + [name], member)] + Self.members(of: member, at: path + [name]) }
        case .array(let elements):
            elements.enumerated().flatMap { index, element in [(path + [String(index)], element)] + Self.members(of: element, at: path + [String(index)]) }
        default:
            []
        }
    }

    /// `value` with the member or element at `path` set to `replacement`, or removed when it is nil.
    static func replacing(_ value: JSONValue, at path: [String], with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch value {
        case .object(var members):
            if let index = members.firstIndex(where: { $0.0 == step }) {
                if rest.isEmpty && replacement == nil {
                    members.remove(at: index)
                } else {
                    members[index].1 = replacing(members[index].1, at: rest, with: replacement)
                }
            } else if rest.isEmpty, let replacement {
                members.append((step, replacement))
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(step), elements.indices.contains(index) else { return value }
            elements[index] = replacing(elements[index], at: rest, with: replacement)
            return .array(elements)
        default:
            return value
        }
    }
}
