/// An event that has passed every check that needs only the event itself (JSON, size, type,
/// schema, personal data), with its canonical pieces already rendered. What remains (references,
/// lifecycle, seq, hash, writes) needs the log and happens in ``BatchWriter/commit(_:)``.
///
/// Preparing needs no transaction, so an import prepares on one core while the other commits.
/// A class: the committing thread reads it where the preparing thread left it, where a struct
/// of this many references was copied (each retained, then released) on its way to the writer.
final class PreparedEvent: Sendable {
    let location: EventLocation
    let entry: EventCatalogue.Entry
    let facts: EventFacts
    /// The event's stream, derived from its type and data; `nil` where it needs the log (a
    /// retraction's is its target's) or where a field it needs is missing.
    let stream: StreamName?
    /// The id the writer sent, if any.
    let sentID: EventID?
    /// The stream the writer sent, if any (it must match the derived one).
    let sentStream: String?
    /// `{"data":DATA,"id":"` and then `","meta":META,"occurredOn":"DATE"` (or without meta):
    /// the canonical stored form up to `recordedAt`, less the id, which goes at `idOffset`.
    let rendered: [UInt8]
    let idOffset: Int
    /// Where the `data` member's value ends in the stored form (the `hash` splice point).
    let dataEnd: Int
    /// Where the canonical `data` value starts and ends in `rendered`, and `meta`'s if present,
    /// and `occurredOn`'s: for comparing the written content with a stored duplicate.
    let dataRange: Range<Int>
    let metaRange: Range<Int>?
    let occurredOnRange: Range<Int>
    /// Personal data to seal at commit, when the event carries some.
    let personalData: PersonalDataToSeal?

    init(location: EventLocation, entry: EventCatalogue.Entry, facts: EventFacts, stream: StreamName?,
         sentID: EventID?, sentStream: String?,
         rendered: [UInt8], idOffset: Int, dataEnd: Int, dataRange: Range<Int>, metaRange: Range<Int>?,
         occurredOnRange: Range<Int>, personalData: PersonalDataToSeal?) {
        self.location = location
        self.entry = entry
        self.facts = facts
        self.stream = stream
        self.sentID = sentID
        self.sentStream = sentStream
        self.rendered = rendered
        self.idOffset = idOffset
        self.dataEnd = dataEnd
        self.dataRange = dataRange
        self.metaRange = metaRange
        self.occurredOnRange = occurredOnRange
        self.personalData = personalData
    }

    /// The written content, canonical, as RFC 8785 orders it: `data`, `meta`, `occurredOn`,
    /// `schemaVersion`, `type`. Two appends of one id must agree on exactly this.
    var writtenContent: [UInt8] {
        var out: [UInt8] = Array("{\"data\":".utf8)
        out += rendered[dataRange]
        if let metaRange {
            out += Array(",\"meta\":".utf8)
            out += rendered[metaRange]
        }
        out += Array(",\"occurredOn\":".utf8)
        out += rendered[occurredOnRange]
        out += Array(",\"schemaVersion\":\(entry.schemaVersion),\"type\":\"\(entry.type.rawValue)\"}".utf8)
        return out
    }
}

/// An event's personal data, waiting for its worker's key: the canonical JSON of the value, and
/// where in `rendered` its base64 ciphertext goes (the room is exactly its length).
struct PersonalDataToSeal: Sendable {
    let field: PersonalDataField
    let plaintext: [UInt8]
    let text: Range<Int>
}
