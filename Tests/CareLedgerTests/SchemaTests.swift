@testable import CareLedger
import Crypto
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("Schemas")
struct SchemaTests {
    static let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Schemas").standardized.path

    @Test func everyCatalogueTypeHasExactlyOneSchemaFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemaFolder).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == EventType.allCases.map { "\($0.rawValue).v1.json" }.sorted())
        #expect(EventCatalogue.standard.entries.count == 30)
    }

    @Test("the binary embeds exactly the files of Schemas/ (run Tools/embed-schemas.sh after editing one)")
    func embeddedCopyMatchesTheFiles() throws {
        for file in embeddedSchemaFiles {
            let onDisk = try String(contentsOfFile: Self.schemaFolder + "/" + file.name, encoding: .utf8)
            #expect(onDisk == file.text + "\n" || onDisk == file.text, "\(file.name) differs from its embedded copy")
        }
        #expect(embeddedSchemaFiles.count == (try FileManager.default.contentsOfDirectory(atPath: Self.schemaFolder).count))
    }

    /// The fingerprint `careledger --version` prints is the files' own: `LC_ALL=C cat
    /// Schemas/*.json | sha256sum` in a checkout gives it.
    @Test func theSchemaFingerprintIsTheFilesSHA256() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.schemaFolder).filter { $0.hasSuffix(".json") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var hash = SHA256()
        for name in names { hash.update(data: try Data(contentsOf: URL(fileURLWithPath: Self.schemaFolder + "/" + name))) }
        #expect(EventCatalogue.schemaFingerprint == EventHash(bytes: Array(hash.finalize())).description)
        #expect(EventCatalogue.schemaFingerprint.count == 64)
    }

    /// Read models that count by an enumeration take its values from the schema.
    /// A type's ordinal is read from the enum's tag; it must be its place in `allCases` (both
    /// ways), a set of types as bits must hold exactly its members, and each type is found by
    /// its name's bytes.
    @Test func aTypesOrdinalIsItsPlaceInTheCatalogue() {
        #expect(EventType.allCases.count <= 64 && EventType.count == EventType.allCases.count)
        #expect(EventType(ordinal: -1) == nil && EventType(ordinal: EventType.count) == nil)
        for (index, type) in EventType.allCases.enumerated() {
            #expect(type.ordinal == index, "\(type)")
            #expect(EventType(ordinal: index) == type, "\(type)")
            #expect(Array(type.rawValue.utf8).withUnsafeBytes { EventType.named($0) } == type, "\(type)")
            #expect(Array((type.rawValue + "s").utf8).withUnsafeBytes { EventType.named($0) } == nil, "\(type)")
            #expect(Array(type.rawValue.dropLast().utf8).withUnsafeBytes { EventType.named($0) } == nil, "\(type)")
            let alone = EventTypes([type])
            #expect(EventType.allCases.filter { alone.contains($0) } == [type])
        }
        let some: [EventType] = [.workerRegistered, .caseClosed, .eventRetracted]
        #expect(EventType.allCases.filter { EventTypes(some).contains($0) } == EventType.allCases.filter { some.contains($0) })
    }

    @Test func theCatalogueListsAnEnumerationsValuesInTheSchemasOrder() {
        let reasons = EventCatalogue.standard.values(of: .employmentEnded, field: "reason")
        #expect(reasons.count == 10 && reasons.first == "movedToAnotherCareEmployer" && reasons.last == "notKnown")
        #expect(EventCatalogue.standard.values(of: .safeguardingConcernRaised, field: "referredTo")
            == ["glaa", "modernSlaveryHelpline", "nrm", "ukvi", "police", "cqc", "laSafeguarding"])
        #expect(EventCatalogue.standard.values(of: .caseOpened, field: "caseId").isEmpty)
    }

    @Test func schemasAreClosedAndNameTheirStream() throws {
        for entry in EventCatalogue.standard.entries {
            let schema = try JSONValue(parsing: entry.text)
            #expect(schema["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
            #expect(schema["additionalProperties"] == .bool(false))
            #expect(schema["properties"]?["data"]?["additionalProperties"] == .bool(false))
            #expect(schema["x-stream"]?.stringValue?.contains("{") == true)
        }
    }

    @Test func aKeywordTheValidatorDoesNotEnforceIsRefused() {
        let schema = #"{"x-stream":"worker-{workerRef}","properties":{"type":{"const":"WorkerArrived"},"schemaVersion":{"const":1},"data":{"required":["workerRef"],"properties":{"workerRef":{"type":"string","oneOf":[]}}}}}"#
        #expect(throws: SchemaCompiler.Failure.self) { try EventCatalogue(files: [("WorkerArrived.v1.json", schema)]) }
    }

    @Test("every schema accepts its valid example", arguments: EventType.allCases)
    func acceptsValidExample(type: EventType) throws {
        let example = try #require(Fixtures.examples[type.rawValue])
        #expect(violation(of: example, type: type) == nil)
    }

    /// `careledger schemas TYPE`: the event it offers to start from passes the schema, and its
    /// words name every field of `data`, required ones as required.
    @Test("every schema's own example and description", arguments: EventType.allCases)
    func theDescriptionAndExampleComeFromTheSchema(type: EventType) throws {
        let entry = try #require(EventCatalogue.standard.entry(type, version: 1))
        let example = entry.example(on: try #require(LocalDate("2025-02-28")))
        #expect(violation(of: example, type: type) == nil, "\(example.compactText)")
        let schema = try JSONValue(parsing: entry.text)["properties"]?["data"]
        let required = schema?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(entry.fields.map(\.name) == schema?["properties"]?.objectValue?.map(\.0))
        #expect(entry.fields.filter(\.required).map(\.name).sorted() == required.sorted())
        #expect(example["data"]?.objectValue?.map(\.0).sorted() == required.sorted(), "the example fills exactly the required fields")
        for field in entry.fields {
            #expect(!field.summary.isEmpty && field.summary != "any JSON value", "\(type).\(field.name): \(field.summary)")
            let values = EventCatalogue.standard.values(of: type, field: field.name)
            if values.count > SchemaNode.listedEnumerationLimit {  // the 250 country codes: named by the description
                #expect(field.summary.contains("; one of \(values.count), listed in the schema file"), "\(type).\(field.name): \(field.summary)")
                continue
            }
            for value in values {
                #expect(field.summary.contains(value), "\(type).\(field.name) names \(value)")
            }
        }
        #expect(!entry.summary.isEmpty)
    }

    @Test("every schema refuses broken examples", arguments: EventType.allCases)
    func refusesBrokenExamples(type: EventType) throws {
        let example = try #require(Fixtures.examples[type.rawValue])
        guard case .object(let data)? = example["data"] else { return }
        // A missing required field.
        let required = data.first!.0
        #expect(violation(of: Fixtures.setting(example, data: required, to: nil), type: type)?.pointer == "/data/\(required)")
        // An unknown field, in data and at the top level.
        #expect(violation(of: Fixtures.setting(example, data: "nickname", to: "x"), type: type)?.pointer == "/data/nickname")
        #expect(violation(of: Fixtures.setting(example, top: "extra", to: 1), type: type)?.pointer == "/extra")
        // A wrong type for every field.
        for (field, value) in data {
            let wrong: JSONValue = value.stringValue != nil ? .integer(42) : .string("not-\(field)")
            #expect(violation(of: Fixtures.setting(example, data: field, to: wrong), type: type)?.pointer.hasPrefix("/data/\(field)") == true)
        }
        // Not a calendar date.
        #expect(violation(of: Fixtures.setting(example, top: "occurredOn", to: "2023-02-29"), type: type)?.pointer == "/occurredOn")
    }

    @Test("enumerations, ids, dates and bounds", arguments: [
        ("EmploymentStarted", "contractType", JSONValue.string("perm"), "must be one of permanent"),
        ("WorkerRegistered", "route", .string("selfreferral"), #"not "selfreferral" (did you mean selfReferral?)"#),
        ("WorkerRegistered", "workerref", .string("W-1"), "is not a known field here; did you mean workerRef? (known: workerRef,"),
        ("EmploymentStarted", "spellId", .string("S 1"), "an id: 1 to 64 characters"),
        ("EmploymentStarted", "spellId", .string(String(repeating: "x", count: 65)), "an id"),
        ("EmploymentStarted", "viaReplacement", .string("false"), "must be true or false, not the text \"false\" (did you mean false?)"),
        ("EmploymentStarted", "viaReplacement", .string("Yes"), "must be true or false, not the text \"Yes\" (did you mean true?)"),
        ("EmploymentStarted", "viaReplacement", .string("perhaps"), "must be true or false, not the text \"perhaps\""),
        ("JobOfferMade", "hourlyPayPence", .string("1,240"), "must be a whole number, not the text \"1,240\""),
        ("JobOfferMade", "weeklyHours", .bool(true), "must be a number, not true or false"),
        ("WorkerRegistered", "nationality", .string("PHL"), "ISO 3166-1 alpha-2"),
        // An assigned code, not only two capitals: UK is reserved, and the description names GB.
        ("WorkerRegistered", "nationality", .string("UK"), #"country code such as PH (GB for the United Kingdom; XK, user-assigned, for Kosovo), not "UK""#),
        ("WorkerRegistered", "nationality", .string("ZZ"), #"not "ZZ""#),
        ("WorkerRegistered", "nationality", .string("ph"), #"not "ph" (did you mean PH?)"#),
        ("WorkerRegistered", "laCode", .string("E0800002"), "ONS local authority code"),
        ("JobOfferMade", "hourlyPayPence", .number(12.5), "whole number"),
        // Beyond 2^53 - 1 a JSON number is not exact, and the canonical form would hash 1e+23.
        ("JobOfferMade", "hourlyPayPence", .number(1e23), "must be at most 9007199254740991"),
        ("JobOfferMade", "weeklyHours", .number(169), "must be at most 168"),
        ("JobOfferMade", "soc", .integer(6135), "must be a string"),
        ("VisaGranted", "leaveExpiresOn", .string("2027-13-01"), "calendar date"),
        ("VisaGranted", "leaveExpiresOn", .string("01/11/2027"), #""01/11/2027" is not one (did you mean 2027-11-01, reading it day first?)"#),
        ("SafeguardingConcernRaised", "indicators", .array([]), "at least one"),
        ("SafeguardingConcernRaised", "indicators", .array(["fees", "fees"]), "repeats"),
        ("SafeguardingConcernRaised", "referredTo", .array(["mi5"]), "must be one of glaa"),
        ("TrainingCompleted", "title", .string(""), "must not be empty"),
    ])
    func fieldRules(type: String, field: String, value: JSONValue, message: String) throws {
        let eventType = try #require(EventType(rawValue: type))
        let broken = Fixtures.setting(try #require(Fixtures.examples[type]), data: field, to: value)
        let found = try #require(violation(of: broken, type: eventType))
        #expect(found.pointer.hasPrefix("/data/\(field)"))
        #expect(found.rule.contains(message), "\(found.rule)")
    }

    @Test func metaIsStringToStringWithAtMost16Keys() throws {
        let example = try #require(Fixtures.examples["WorkerArrived"])
        let many = JSONValue.object((1...17).map { ("k\($0)", .string("v")) })
        #expect(violation(of: Fixtures.setting(example, top: "meta", to: many), type: .workerArrived)?.pointer == "/meta")
        #expect(violation(of: Fixtures.setting(example, top: "meta", to: ["actor": 7]), type: .workerArrived)?.pointer == "/meta/actor")
        #expect(violation(of: Fixtures.setting(example, top: "meta", to: ["actor": "staff:jk"]), type: .workerArrived) == nil)
    }

    @Test("the pattern matcher", arguments: [
        ("^[A-Za-z0-9._:-]{1,64}$", "W-00123", true), ("^[A-Za-z0-9._:-]{1,64}$", "", false),
        ("^[A-Za-z0-9._:-]{1,64}$", "a b", false), ("^[EWSN][0-9]{8}$", "E08000025", true),
        ("^[EWSN][0-9]{8}$", "X08000025", false), ("^a+b?c*$", "aaac", true), ("^a+b?c*$", "bc", false),
        ("^[0-9]{4}-[0-9]{2}$", "2024-05", true), ("^x[ab]{2,}y$", "xababy", true), ("^x[ab]{2,}y$", "xay", false),
        // A greedy atom gives back what a later one needs; fixed widths check the length first.
        ("^[a-z]+[a-z0-9]{2}$", "ab1", true), ("^[a-z]+[a-z0-9]{2}$", "a1", false), ("^a*b{2}$", "abb", true),
        ("^a*b{2}$", "ab", false), ("^a*$", "", true), ("^[0-9]{4}$", "202", false), ("^[0-9]{4}$", "20245", false),
        ("^[A-Za-z0-9._:-]{1,64}$", "caf\u{E9}", false),
    ])
    func patterns(pattern: String, text: String, matches: Bool) throws {
        let compiled = try BytePattern(pattern)
        #expect(Array(text.utf8).withUnsafeBytes { compiled.matches($0) } == matches)
    }

    @Test func unsupportedPatternsAreRefused() {
        for pattern in ["[a-z]+", "^(a|b)$", "^a.b$", "^[^a]$"] {
            #expect(throws: BytePattern.Unsupported.self) { try BytePattern(pattern) }
        }
    }

    /// A check lists every mistake of an event, not only the first: each member's, in the
    /// event's order, and then each required member missing.
    @Test func everyViolationOfAnEventIsFound() throws {
        let example = try #require(Fixtures.examples["EmploymentStarted"])
        var broken = Fixtures.setting(example, data: "jobRole", to: "Care worker")
        broken = Fixtures.setting(broken, data: "viaReplacement", to: "Yes")
        broken = Fixtures.setting(broken, data: "contractType", to: nil)
        broken = Fixtures.setting(broken, data: "shift", to: "nights")
        let document = try JSONDocument(parsing: broken.compactText)
        let found = document.withTape { SchemaValidator.violations($0, document.root, against: EventCatalogue.standard.entry(.employmentStarted, version: 1)!.root) }
        #expect(found.map(\.pointer) == ["/data/jobRole", "/data/viaReplacement", "/data/shift", "/data/contractType"], "\(found)")
        #expect(found.first == violation(of: broken, type: .employmentStarted), "the first is the one a batch is refused for")
        #expect(found.last?.rule == "is required and missing")
        let valid = try JSONDocument(parsing: example.compactText)
        #expect(valid.withTape { SchemaValidator.violations($0, valid.root, against: EventCatalogue.standard.entry(.employmentStarted, version: 1)!.root) }.isEmpty)
    }

    /// Text where a number belongs, written for people to read, is refused with the number it
    /// most likely is; in a field of pence, pounds with the pence they come to.
    @Test("a number written for people", arguments: [
        ("hourlyPayPence", "1,240", " (did you mean 1240?)"), ("hourlyPayPence", "1240p", " (did you mean 1240?)"),
        ("hourlyPayPence", "£12.40", " (did you mean 1240? the field is in pence, and £12.40 is 1240)"),
        ("hourlyPayPence", "12.40", " (the field is in pence: if 12.40 is pounds, did you mean 1240?)"),
        ("hourlyPayPence", "£12", " (did you mean 1200? the field is in pence, and £12 is 1200)"),
        ("weeklyHours", "37.5 hrs", " (did you mean 37.5?)"), ("weeklyHours", " 40 hours", " (did you mean 40?)"),
        ("weeklyHours", "£37.50", ""), ("hourlyPayPence", "1240.505", ""), ("hourlyPayPence", "12,40", ""), ("weeklyHours", "about 40", ""),
        ("hourlyPayPence", "1,2,3", ""), ("weeklyHours", "hours", ""), ("hourlyPayPence", "12.40p", ""), ("hourlyPayPence", "1,240 pence", " (did you mean 1240?)"),
    ])
    func numberWrittenForPeople(field: String, text: String, hint: String) throws {
        let offer = Fixtures.setting(try #require(Fixtures.examples["JobOfferMade"]), data: field, to: .string(text))
        let rule = try #require(violation(of: offer, type: .jobOfferMade)).rule
        #expect(rule.hasSuffix("not the text \"\(text)\"\(hint)"), "\(rule)")
    }

    /// A number with a fraction where a whole one belongs is shown, not called "a number"; in
    /// a field of pence it reads as pounds.
    @Test func aFractionWhereAWholeNumberBelongsIsShown() throws {
        let example = try #require(Fixtures.examples["JobOfferMade"])
        let pay = try #require(violation(of: Fixtures.setting(example, data: "hourlyPayPence", to: .number(12.4)), type: .jobOfferMade))
        #expect(pay.rule == "must be a whole number, not 12.4 (the field is in pence: if 12.4 is pounds, did you mean 1240?)", "\(pay.rule)")
        let text = try #require(violation(of: Fixtures.setting(example, data: "hourlyPayPence", to: "12.4"), type: .jobOfferMade))
        #expect(text.rule.hasSuffix("not the text \"12.4\" (the field is in pence: if 12.4 is pounds, did you mean 1240?)"), "\(text.rule)")
        let repayment = Fixtures.setting(example, data: "repaymentClause", to: .object([("amountPence", .number(150_000.505)), ("months", 12), ("interestFree", true), ("itemised", true)]))
        #expect(violation(of: repayment, type: .jobOfferMade)?.rule == "must be a whole number, not 150000.505", "three places are not pounds and pence")
    }

    /// A number where text or a boolean belongs, as a system that writes JSON sends a code
    /// unquoted, is shown with what it most likely meant, not called "a number".
    @Test func aNumberWhereTextOrABooleanBelongsIsShown() throws {
        let offer = try #require(Fixtures.examples["JobOfferMade"])
        #expect(violation(of: Fixtures.setting(offer, data: "soc", to: 6135), type: .jobOfferMade)?.rule == "must be a string, not 6135 (did you mean \"6135\"? send it as text)")
        let started = try #require(Fixtures.examples["EmploymentStarted"])
        #expect(violation(of: Fixtures.setting(started, data: "viaReplacement", to: 1), type: .employmentStarted)?.rule == "must be true or false, not 1 (did you mean true?)")
        #expect(violation(of: Fixtures.setting(started, data: "workerRef", to: .array([])), type: .employmentStarted)?.rule == "must be a string, not an array")
    }

    func violation(of event: JSONValue, type: EventType) -> SchemaViolation? {
        let document = try! JSONDocument(parsing: event.compactText)
        let validator = SchemaValidator(document: document)
        return validator.validate(document.root, against: EventCatalogue.standard.entry(type, version: 1)!.root)
    }
}
