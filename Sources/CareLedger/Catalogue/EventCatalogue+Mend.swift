public import LedgerJSON

/// The right fact made from the wrong one: a stored event with the fields a person names
/// changed (`occurredOn=2024-10-14`, `providerId=P-042`), for `careledger retract --mend`.
///
/// Most mistakes are one field: a date, a provider, a reason. Typing the whole event again to
/// correct it invites a second mistake in the fields that were right; mending copies them.
extension EventCatalogue {
    /// The entry `event` (written, stored or served) belongs to, by its type and schema
    /// version; `nil` when it names none of the catalogue.
    public func entry(of event: JSONValue) -> Entry? {
        guard let type = event["type"]?.stringValue.flatMap(EventType.init(rawValue:)) else { return nil }
        return entry(type, version: Int(event["schemaVersion"]?.integerValue ?? 1))
    }
}

extension EventCatalogue.Entry {
    /// The members of `data` that hold personal data (SPEC 6), in whichever type carries them.
    public static let personalDataMembers: Set<String> = Set(PersonalDataField.allCases.map(\.rawValue))

    /// The data members that say whose personal data an event holds: `pii` is its `workerRef`'s,
    /// `notes` its case's worker's.
    static let personalDataOwners: Set<String> = ["workerRef", "caseId"]

    /// `event` (as stored or served) as its writer would have written it with `fields`
    /// changed: its type, schema version, `occurredOn` and `data`, each field given replacing
    /// its value (`occurredOn=DATE` the date; `OBJECT.MEMBER=VALUE` a member; nothing after the
    /// `=` removing an optional field, or emptying a list). It has no `id` or `stream`, and
    /// `meta` only as given (who mended it, and how): it is a new event, and the ledger sets its
    /// `meta.corrects`. The validator judges the result as it judges any event.
    ///
    /// Personal data is carried over only in plaintext (`event` as a reveal serves it, and then
    /// sealed again at the door): its stored form is bound to the event it was sealed for, and a
    /// redacted or erased value is no value.
    /// - Throws: ``LedgerError`` `usage` for a field given twice or no field at all, or a
    ///   change that changes nothing; `rejected` for personal data that is not plaintext (the
    ///   right fact is then given whole, or mended with the master key).
    public func mending(_ event: JSONValue, seq: Seq, with fields: [TypedField], meta: [(String, String)] = []) throws(LedgerError) -> JSONValue {
        guard !fields.isEmpty else { throw LedgerError(.usage, "name the field to change, such as --mend occurredOn=2024-10-14") }
        let paths = fields.map { $0.path.joined(separator: ".") }
        if let twice = paths.first(where: { path in paths.count { $0 == path } > 1 }) {
            throw LedgerError(.usage, "\(twice) is given twice; give each field once")
        }
        guard case .object(var data)? = event["data"] else { throw LedgerError(.verificationFailed, "the stored event at seq \(seq) has no data") }
        if let (field, value) = data.first(where: { Self.personalDataMembers.contains($0.0) }) {
            switch value {
            case .string("[erased]"):
                throw LedgerError(.rejected, "the personal data (\(field)) of seq \(seq) was erased, and none is recorded for its worker again: give the right fact whole, without \(field), with --correction FILE")
            case .string("[redacted]"), .object where value["ciphertext"] != nil:
                throw LedgerError(.rejected, "seq \(seq) carries personal data (\(field)), which a mended copy carries over only with the master key (--master-key; it is sealed again, not shown): give it, or the right fact whole with --correction FILE")
            default:
                // Sealed under another worker's key, a copy would outlive this worker's erasure.
                if let owner = fields.first(where: { Self.personalDataOwners.contains($0.path[0]) }) {
                    throw LedgerError(.rejected, "seq \(seq) carries personal data (\(field)), which stays with the worker it is about: a mended copy cannot change \(owner.path[0]), or it would be sealed under another worker's key and outlive this one's erasure. Give the right fact whole with --correction FILE")
                }
            }
        }
        var occurredOn = event["occurredOn"]?.stringValue ?? ""
        let reader = SchemaReader(text)
        for field in fields {
            if field.path == ["occurredOn"] {
                occurredOn = field.text
                continue
            }
            try Self.insert(field.text, at: field.path[...], into: &data, property: reader.schema["properties"]?["data"], reader: reader,
                            whole: field.path, replacing: true)
        }
        let mended: JSONValue = .object([("type", .string(type.rawValue)), ("schemaVersion", .integer(Int64(schemaVersion))),
                                         ("occurredOn", .string(occurredOn)), ("data", .object(data))])
        if mended.canonicalBytes == JSONValue.object([("type", event["type"] ?? .null), ("schemaVersion", event["schemaVersion"] ?? .null),
                                                      ("occurredOn", event["occurredOn"] ?? .null), ("data", event["data"] ?? .null)]).canonicalBytes {
            throw LedgerError(.usage, "\(paths.joined(separator: ", ")) \(paths.count == 1 ? "is" : "are") already so at seq \(seq): the mended event would be the same fact")
        }
        guard !meta.isEmpty, case .object(let members) = mended else { return mended }
        return .object(members + [("meta", .object(meta.map { ($0.0, .string($0.1)) }))])
    }
}
