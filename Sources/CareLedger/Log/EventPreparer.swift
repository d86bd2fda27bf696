internal import LedgerJSON

/// Runs the checks of SPEC section 3 that need only the event (1 and 2: JSON and size, type and
/// schema version, the schema) and renders its canonical pieces. One per thread: it keeps a
/// reusable writer.
struct EventPreparer {
    /// The largest event, in bytes of its written JSON.
    static let maximumEventSize = 64 * 1024

    /// The refusal of an event of `size` bytes, over ``maximumEventSize``.
    static func tooLarge(_ size: Int, at location: EventLocation) -> LedgerError {
        LedgerError(.tooLarge, "the event is \(size) bytes; at most \(maximumEventSize) (64 KiB) are accepted", location: location, pointer: "")
    }

    let catalogue: EventCatalogue
    private var canonical = CanonicalJSONWriter()

    init(catalogue: EventCatalogue) { self.catalogue = catalogue }

    /// Checks the event at `root` of `document` and renders it, or throws the first rule it breaks.
    mutating func prepare(_ document: JSONDocument, root: Int, location: EventLocation) throws(LedgerError) -> PreparedEvent {
        // withTape rethrows untyped errors; everything thrown inside is a LedgerError.
        do {
            return try document.withTape { tape in try prepare(tape, root: root, location: location) }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.rejected, "\(error)", location: location)
        }
    }

    private mutating func prepare(_ tape: JSONTape, root: Int, location: EventLocation) throws(LedgerError) -> PreparedEvent {
        func reject(_ pointer: String, _ rule: String, _ code: LedgerError.Code = .rejected) -> LedgerError {
            LedgerError(code, rule, location: location, pointer: pointer)
        }
        // 1. JSON within 64 KiB, with a known type and schema version.
        let size = Int(tape.tokens[root].end - tape.tokens[root].start)
        if size > Self.maximumEventSize { throw Self.tooLarge(size, at: location) }
        guard tape.kind(root) == .object else { throw reject("", "an event must be a JSON object") }
        var members = TopLevelMembers()
        var key = root + 1
        for _ in 0..<tape.count(root) {
            let value = key + 1
            switch tape.raw(key).count {
            case 2 where tape.isName(key, "id"): members.id = value
            case 4 where tape.isName(key, "type"): members.type = value
            case 4 where tape.isName(key, "data"): members.data = value
            case 4 where tape.isName(key, "meta"): members.meta = value
            case 6 where tape.isName(key, "stream"): members.stream = value
            case 10 where tape.isName(key, "occurredOn"): members.occurredOn = value
            case 13 where tape.isName(key, "schemaVersion"): members.schemaVersion = value
            default: break
            }
            key = tape.next(value)
        }
        let entry = try schemaEntry(tape, members, reject: reject)

        // 2. The schema: types, enumerations, dates, ids, no unknown fields.
        if SchemaValidator.validate(tape, root, against: entry.root) != nil {
            // Only on the way to a refusal: every mistake of the event, for a check to list.
            let violations = SchemaViolation.foldingStoredForm(SchemaValidator.violations(tape, root, against: entry.root))
            var refusal = reject(violations[0].pointer, violations[0].rule)
            refusal.laterProblems = violations.dropFirst().map { reject($0.pointer, $0.rule) }
            throw refusal
        }
        let facts = EventFacts(tape: tape, root: root, type: entry.type)

        // The canonical pieces of the stored form, up to recordedAt, less the id. Personal data
        // is rendered as its stored form with room for the ciphertext, sealed at commit, when
        // the worker's key and the event's id are known.
        canonical.reset()
        canonical.writeRaw("{\"data\":")
        let dataStart = canonical.bytes.count
        var personalData: PersonalDataToSeal?
        if let field = facts.personalDataField, let member = Self.member(tape, of: members.data!, named: field.rawValue) {
            var plaintext = CanonicalJSONWriter()
            plaintext.write(tape, value: member)
            let count = PersonalDataField.sealedTextCount(plaintextCount: plaintext.bytes.count)
            var textStart = 0
            canonical.write(tape, object: members.data!, replacing: field.rawValue) { writer in
                writer.writeRaw("{\"ciphertext\":\"")
                textStart = writer.bytes.count
                writer.bytes.append(contentsOf: repeatElement(UInt8(ascii: "A"), count: count))
                writer.writeRaw("\"}")
            }
            personalData = PersonalDataToSeal(field: field, plaintext: plaintext.bytes, text: textStart..<(textStart + count))
        } else {
            canonical.write(tape, value: members.data!)
        }
        let dataEnd = canonical.bytes.count
        canonical.writeRaw(",\"id\":\"")
        let idOffset = canonical.bytes.count
        var metaRange: Range<Int>?
        if let meta = members.meta {
            canonical.writeRaw("\",\"meta\":")
            let start = canonical.bytes.count
            canonical.write(tape, value: meta)
            metaRange = start..<canonical.bytes.count
            canonical.writeRaw(",\"occurredOn\":")
        } else {
            canonical.writeRaw("\",\"occurredOn\":")
        }
        let occurredOnStart = canonical.bytes.count
        canonical.write(tape, value: members.occurredOn!)
        let stream: StreamName? = switch entry.stream {
        case .field(let prefix, let field): facts.entityID(named: field).map { StreamName(prefix: prefix, id: $0) }
        case .streamOfTarget: nil
        }
        return PreparedEvent(
            location: location, entry: entry, facts: facts, stream: stream,
            sentID: members.id.flatMap { index in tape.withUTF8(index) { EventID(utf8: UnsafeRawBufferPointer($0)) } },
            sentStream: members.stream.map { tape.decodedString($0) },
            rendered: canonical.bytes, idOffset: idOffset, dataEnd: dataEnd,
            dataRange: dataStart..<dataEnd, metaRange: metaRange,
            occurredOnRange: occurredOnStart..<canonical.bytes.count, personalData: personalData)
    }

    /// The value of the member `name` of the object at `object`.
    private static func member(_ tape: JSONTape, of object: Int, named name: String) -> Int? {
        var key = object + 1
        for _ in 0..<tape.count(object) {
            if tape.decodedString(key) == name { return key + 1 }
            key = tape.next(key + 1)
        }
        return nil
    }

    /// Which members of an event's top level are where in the tape.
    private struct TopLevelMembers {
        var id, type, schemaVersion, occurredOn, stream, meta, data: Int?
    }

    private func schemaEntry(
        _ tape: JSONTape, _ members: TopLevelMembers, reject: (String, String, LedgerError.Code) -> LedgerError
    ) throws(LedgerError) -> EventCatalogue.Entry {
        guard let typeIndex = members.type else { throw reject("/type", "is required and missing", .rejected) }
        guard tape.kind(typeIndex) == .string, let type = tape.withUTF8(typeIndex, { catalogue.type(utf8: $0) }) else {
            let given = tape.kind(typeIndex) == .string ? tape.decodedString(typeIndex) : nil
            let shown = given.map { "\"\($0)\"" } ?? "not a string"
            let hint = given.map { NearestName.hint(for: $0, among: EventType.allCases.map(\.rawValue)) } ?? ""
            throw reject("/type", "must name an event type of the catalogue (see `GET /v1/schemas` or Schemas/), and \(shown) is not one\(hint)", .rejected)
        }
        guard let versionIndex = members.schemaVersion else {
            throw reject("/schemaVersion", "is required and missing", .rejected)
        }
        let raw = tape.raw(versionIndex)
        var version: Int?
        if tape.kind(versionIndex) == .number {
            if tape.tokens[versionIndex].flag, raw.count < 6 {
                version = raw.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
            } else if let value = Double(String(decoding: raw, as: UTF8.self)), value.rounded() == value, abs(value) < 1e6 {
                version = Int(value)  // 1.0 is the integer 1, as JSON Schema counts it
            }
        }
        guard let version, let entry = catalogue.entry(type, version: version) else {
            let versions = catalogue.versions(of: type)
            throw reject("/schemaVersion", "\(type.rawValue) has schema version \(versions.map(String.init).joined(separator: ", ")) only", .rejected)
        }
        return entry
    }
}
