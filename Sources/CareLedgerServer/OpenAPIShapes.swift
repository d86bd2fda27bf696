internal import CareLedger
internal import LedgerJSON

/// The JSON Schemas of `/openapi.json`'s `components`: every body the endpoint answers with
/// (SPEC section 9's shapes, and those of the routes the SPEC leaves to us) and every event it
/// takes, the catalogue's own schema files. A client generated from the document gets typed
/// answers, and a test validates every answer of a running server against these, with an
/// independent JSON Schema library, so the document cannot promise a shape the server does not give.
///
/// The shapes list every member the server writes; they are left open to more, as SPEC section 9
/// allows a later version to add members. The test closes them, so an undocumented member fails it.
enum OpenAPIShapes {
    /// `{"$ref": "#/components/schemas/NAME"}`.
    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }

    static func object(_ required: [(String, JSONValue)], optional: [(String, JSONValue)] = [], description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object")]
        if let description { members.append(("description", .string(description))) }
        members.append(("required", .array(required.map { .string($0.0) })))
        members.append(("properties", .object(required + optional)))
        return .object(members)
    }

    static func array(_ items: JSONValue) -> JSONValue { .object([("type", "array"), ("items", items)]) }
    static func nullable(_ schema: JSONValue) -> JSONValue { .object([("anyOf", .array([schema, .object([("type", "null")])]))]) }
    static func map(_ values: JSONValue, _ description: String) -> JSONValue {
        .object([("type", "object"), ("description", .string(description)), ("additionalProperties", values)])
    }
    static func text(_ description: String) -> JSONValue { .object([("type", "string"), ("description", .string(description))]) }
    static func enumeration(_ values: [String]) -> JSONValue { .object([("type", "string"), ("enum", .array(values.map { .string($0) }))]) }

    static let string: JSONValue = .object([("type", "string")])
    static let boolean: JSONValue = .object([("type", "boolean")])
    static let integer: JSONValue = .object([("type", "integer")])
    static let seq: JSONValue = .object([("type", "integer"), ("minimum", 1), ("description", "a global position in the log")])
    static let streamVersion: JSONValue = .object([("type", "integer"), ("minimum", 1), ("description", "a position in its stream, from 1")])
    static let seqOrZero: JSONValue = .object([("type", "integer"), ("minimum", 0), ("description", "a global position; 0 for an empty log")])
    static let date: JSONValue = .object([("type", "string"), ("format", "date")])
    static let instant: JSONValue = .object([("type", "string"), ("format", "date-time"), ("description", "an RFC 3339 instant, UTC")])
    static let hash: JSONValue = .object([("type", "string"), ("pattern", "^[0-9a-f]{64}$"), ("description", "SHA-256, lowercase hex")])
    static let uuid: JSONValue = .object([("type", "string"), ("format", "uuid")])
    static let month: JSONValue = .object([("type", "string"), ("pattern", "^[0-9]{4}-[0-9]{2}$")])
    static let period = text("as asked: YYYY-MM, YYYY-Qn, YYYY-YY or YYYY-MM-DD..YYYY-MM-DD")
    static let rate: JSONValue = .object([("type", ["number", "null"]), ("description", "retained ÷ eligible to 4 places; null where eligible is 0, or suppressed")])
    static let count = ref("Count")
    static let counts = ref("Counts")

    /// The component schemas, by name.
    static var components: [(String, JSONValue)] {
        answers + events
    }

    /// The bodies the endpoint answers with.
    static var answers: [(String, JSONValue)] {
        [
            ("Count", .object([("description", "a count; published (SPEC 5.5), 0, \"<5\" for 1 to 4, or a multiple of 5"),
                               ("anyOf", .array([.object([("type", "integer"), ("minimum", 0)]), .object([("const", "<5")])]))])),
            ("Counts", map(count, "counts by a value (a channel, an outcome, a kind): only values with a count")),
            ("Problem", object([("type", string), ("title", text("what kind of failure: usage, rejected, conflict, notFound, …")),
                                ("status", integer), ("detail", text("what went wrong and where, as the CLI says it"))],
                               optional: [("line", integer), ("eventIndex", integer), ("pointer", text("a JSON pointer into the event, such as /data/contractType"))]
                                   + checkMembers + [notes],
                               description: "RFC 9457 problem details; a refused check also carries its report")),
            ("StoredEvent", object([("id", uuid), ("type", string), ("schemaVersion", integer), ("occurredOn", date),
                                    ("data", .object([("type", "object"), ("description", "as written; personal data as \"[redacted]\", \"[erased]\", {\"ciphertext\": …} when stored=true, or revealed")])),
                                    ("seq", seq), ("stream", string), ("streamVersion", streamVersion), ("recordedAt", instant), ("hash", hash)],
                                   optional: [("meta", map(string, "free-form string to string, kept verbatim"))])),
            ("EventsPage", object([("events", array(ref("StoredEvent"))),
                                   ("next", .object([("type", ["integer", "null"]), ("description", "from (or fromVersion) for the next page; null at the head")]))])),
            ("Position", object([("id", uuid), ("seq", seq), ("stream", string), ("streamVersion", streamVersion), ("hash", hash)])),
            ("Appended", object([("events", array(ref("Position")))], optional: [notes], description: "each event's position, in the batch's order")),
            ("BatchCheck", object(checkMembers, optional: [notes])),
            ("Caseload", object([("asOf", date), ("knownAt", instant), ("openCases", count), ("byType", counts), ("byOwnerPartner", counts)],
                                optional: [("cases", array(ref("CaseRow")))], description: "SPEC 5.1; no cases when published")),
            ("CaseRow", object([("caseId", string), ("workerRef", string), ("caseType", string), ("channel", string), ("ownerPartnerId", string),
                                ("laCode", nullable(string)), ("openedOn", date), ("daysOpen", integer), ("windowEndsOn", nullable(date)),
                                ("daysLeft", .object([("type", ["integer", "null"])])),
                                ("flags", array(enumeration(["windowUnder14Days", "safeguardingRaised", "employerRevoked"])))])),
            ("Retention", object([("asOf", date), ("knownAt", instant), ("period", period),
                                  ("by", nullable(enumeration(["provider", "laCode", "viaReplacement", "route"]))),
                                  ("horizons", array(integer)), ("cohorts", array(ref("Cohort")))], description: "SPEC 5.2")),
            ("Cohort", object([("cohort", month),
                               ("group", .object([("type", ["object", "null"]), ("description", "null, or the one key split by and its value"),
                                                  ("maxProperties", 1), ("additionalProperties", .object([("type", ["string", "boolean"])]))])),
                               ("starters", count), ("horizons", map(ref("HorizonFigures"), "by horizon in months"))])),
            ("HorizonFigures", object([("eligible", count), ("notYetObservable", count), ("employerRetained", count), ("sectorRetained", count),
                                       ("employerRate", rate), ("sectorRate", rate), ("notRetainedReasons", counts)],
                                      optional: [("suppressed", .object([("const", true), ("description", "published, and eligible is under 10")]))])),
            ("PartnerActivity", object([("period", period), ("from", date), ("to", date), ("asOf", date), ("knownAt", instant),
                                        ("partners", array(ref("PartnerRow")))], description: "SPEC 5.3")),
            ("PartnerRow", object([("partnerId", string), ("name", string), ("kind", string), ("casesOpened", count), ("byChannel", counts),
                                   ("casesClosed", counts), ("referralsReceived", count), ("referralsMade", count), ("referralOutcomes", counts),
                                   ("supportEpisodes", counts), ("workersSupported", count), ("jobIntroductions", count),
                                   ("placements", object([("selfReported", count), ("verified", count)])),
                                   ("medianDaysToPlacement", .object([("type", ["number", "null"])])), ("safeguardingReferrals", counts)],
                                  optional: [("medianSuppressed", .object([("const", true), ("description", "published, and fewer than 10 placements")]))])),
            ("Timeline", object([("kind", enumeration(["worker", "case", "provider", "partner"])), ("id", string), ("knownAt", instant),
                                 ("events", array(ref("TimelineEvent")))], description: "SPEC 5.4")),
            ("TimelineEvent", object(timelineMembers, optional: [("retractedBy", .object([("type", "integer"), ("description", "the EventRetracted that hides it, by seq, when retracted")])),
                                                                 ("retracts", .object([("type", "integer"), ("description", "an EventRetracted's target, by seq")])),
                                                                 ("corrects", .object([("type", "integer"), ("description", "the event a right fact's meta.corrects names, by seq")]))])),
            ("ProgrammeTimeline", object([("period", period), ("from", date), ("to", date), ("knownAt", instant), ("months", array(ref("ProgrammeMonth")))],
                                         description: "SPEC 5.4, the programme's months")),
            ("ProgrammeMonth", object([("month", month), ("openCases", count), ("casesOpened", count), ("casesClosed", counts), ("displacements", count),
                                       ("placements", object([("selfReported", count), ("verified", count)])), ("supportEpisodes", count),
                                       ("employmentStarts", count), ("employmentEnds", count),
                                       ("organisationalEvents", array(object(timelineMembers, optional: [("providerId", string), ("partnerId", string),
                                                                                                           ("retractedBy", .object([("type", "integer")]))])))])),
            ("Digest", object([("seq", seqOrZero), ("hash", hash)])),
            ("Verification", object([("ok", boolean)], optional: [("seq", seqOrZero), ("hash", hash), ("firstBadSeq", .object([("type", ["integer", "null"])])),
                                                                   ("detail", string)],
                                    description: "ok with the verified head, or the first bad seq and what is wrong there")),
            ("Health", object([("ok", boolean), ("seq", seqOrZero)])),
            ("Changes", object([("asOf", date), ("then", ref("Reading")), ("now", ref("Reading")), ("lateEvents", integer), ("retractions", integer),
                                ("figuresFor", object([("asOf", date), ("period", period), ("from", date), ("to", date),
                                                       ("by", nullable(string)), ("horizons", array(integer)), ("published", boolean)])),
                                ("figures", array(object([("readModel", string), ("row", .object([("description", "the row's key values (its cohort, partner, month), or null for totals")])),
                                                          ("figure", text("a JSON pointer into the row")), ("then", .object([])), ("now", .object([]))])))],
                               optional: [("events", array(object([("seq", seq), ("recordedAt", instant), ("occurredOn", date), ("type", string),
                                                                   ("stream", string), ("summary", string)],
                                                                  optional: [("retracts", object([("seq", seq), ("type", string), ("occurredOn", date)]))])))],
                               description: "no events with figures=true, and none when published")),
            ("Reading", object([("seq", seqOrZero), ("hash", hash), ("recordedAt", nullable(instant))])),
            ("Schemas", object([("schemas", array(object([("type", string), ("schemaVersion", integer), ("stream", text("its stream template")),
                                                          ("schema", .object([("type", "object"), ("description", "the JSON Schema 2020-12 file of Schemas/")])),
                                                          ("csvColumns", array(text("a column of a CSV body's header (POST /v1/events?type=): occurredOn, the data's fields, id, meta.KEY")))]))),
                                ("sha256", text("the SHA-256 of every schema file together (all of them, whatever types= asks), as careledger --version prints it: it changes when any schema does"))])),
            ("Erasure", object([("workerRef", string), ("erased", .object([("const", true)])),
                                ("keyDestroyed", .object([("type", "boolean"), ("description", "false when the worker held no personal data")])),
                                ("event", ref("Position"))])),
            ("AccessLog", object([("entries", array(object([("at", instant), ("eventSeqs", array(integer)), ("hash", hash), ("seq", integer),
                                                            ("via", text("the command or route that showed it")), ("who", string), ("workerRef", string)]))),
                                  ("verification", object([("ok", boolean), ("entries", integer), ("headHash", hash)], optional: [("firstBadSeq", integer)]))])),
        ]
    }

    /// A check's report (`check=true`): its counts and its problems, the first thousand listed.
    static var checkMembers: [(String, JSONValue)] {
        [("events", integer), ("wouldAppend", integer), ("duplicates", integer), ("refused", integer), ("complete", boolean), ("problemsNotListed", integer),
         ("problems", array(object([("code", string), ("detail", string)], optional: [("line", integer), ("eventIndex", integer), ("pointer", string)])))]
    }

    /// What a person should look at in a batch that landed or would land: events dated after
    /// tomorrow, named by seq (or, in a check, by line or index).
    static var notes: (String, JSONValue) {
        ("notes", array(text("such as: seq 1142's occurredOn, 2062-06-03, is after today, 2026-12-07: is its year right? …")))
    }

    /// A timeline's event (SPEC 9).
    static var timelineMembers: [(String, JSONValue)] {
        [("seq", seq), ("occurredOn", date), ("recordedAt", instant), ("type", string), ("summary", string), ("retracted", boolean)]
    }

    /// A schema file as a component of the document: its `$id` left out and its references to
    /// its own `$defs` made references from the document's root, which every OpenAPI tool
    /// resolves (not all of them honour an `$id` inside the document).
    static func embedded(_ schema: JSONValue, as name: String) -> JSONValue {
        switch schema {
        case .object(let members):
            return .object(members.compactMap { key, value in
                if key == "$id" { return nil }
                if key == "$ref", let target = value.stringValue, target.hasPrefix("#/") {
                    return (key, .string("#/components/schemas/\(name)/" + target.dropFirst(2)))
                }
                return (key, embedded(value, as: name))
            })
        case .array(let elements):
            return .array(elements.map { embedded($0, as: name) })
        default:
            return schema
        }
    }

    /// The events a writer sends: each type's schema file, one of them chosen by `type`.
    static var events: [(String, JSONValue)] {
        let entries = EventCatalogue.standard.entries
        let named = entries.map { entry in
            let name = "\(entry.type.rawValue).v\(entry.schemaVersion)"
            return (name, embedded((try? JSONValue(parsing: entry.text)) ?? .object([]), as: name))
        }
        let written: JSONValue = .object([
            ("description", "an event as written (SPEC 2): its type's schema, one file of Schemas/ for each type and version"),
            ("oneOf", .array(named.map { ref($0.0) })),
        ])
        let batch = object([("events", array(ref("WrittenEvent")))],
                           optional: [("expectedVersions", map(.object([("type", "integer"), ("minimum", 0)]), "stream to the version it must be at; 0: it must not exist yet"))],
                           description: "one atomic batch")
        return [("WrittenEvent", written), ("Batch", batch)] + named
    }
}
