internal import LedgerJSON
internal import SpreadsheetRows

/// `GET /openapi.json`: the endpoint described in OpenAPI 3.1. A test walks every operation of
/// this document against the running server, so document and routes cannot drift apart unseen.
enum OpenAPIDocument {
    /// The document as served, rendered once: it is about 95 KB and the same for every request.
    static let text = json.compactText + "\n"

    /// The document, made once: the routes' table of paths reads it too.
    static let json: JSONValue = {
        let objectSchema: JSONValue = .object([("schema", .object([("type", "object")]))])
        let stringSchema: JSONValue = .object([("schema", .object([("type", "string")]))])
        let binarySchema: JSONValue = .object([("schema", .object([("type", "string"), ("format", "binary")]))])
        let workbooks = ReturnWorkbook.Format.allCases.map { ($0.mediaType, binarySchema) }
        typealias Schema = OpenAPIParameters
        func parameter(_ name: String, in place: String = "query", _ description: String, _ schema: JSONValue = Schema.text,
                       required: Bool = false) -> JSONValue {
            .object([("name", .string(name)), ("in", .string(place)), ("required", .bool(required || place == "path")),
                     ("description", .string(description)), ("schema", schema)])
        }
        /// - Parameter answer: the component schema of a 2xx answer (a failure is a `Problem`).
        /// - Parameter csv: the 200 answer comes as CSV too (`format=csv`).
        /// - Parameter workbook: the 200 answer comes as an `.xlsx` or `.ods` workbook too (`format=xlsx`, `format=ods`).
        func responses(_ codes: [(String, String)], answer: JSONValue = objectSchema["schema"]!, csv: Bool = false, workbook: Bool = false) -> JSONValue {
            .object(codes.map { code, description in
                let success = code.hasPrefix("2")
                var media: [(String, JSONValue)] = [(success ? "application/json" : "application/problem+json",
                                                     .object([("schema", success ? answer : OpenAPIShapes.ref("Problem"))]))]
                if csv && code == "200" { media.append(("text/csv", stringSchema)) }
                if workbook && code == "200" { media += workbooks }
                return (code, .object([("description", .string(description)), ("content", .object(media))]))
            })
        }
        let denied: [(String, String)] = [("400", "a malformed parameter"), ("401", "no known token"), ("403", "the token lacks the role")]
        let rotated = ("503", "reveal=true while the server has no master key (started without one) or not the ledger's (rotated since it started), until its operator gives it the key")
        let personalData = [parameter("stored", "true: personal data as stored, its ciphertext (auditor, staff)", Schema.flag),
                            parameter("reveal", "true: personal data in plaintext, recorded in the access log (staff)", Schema.flag)]
        let csvFormat = parameter("format", "json (the default) or csv: the table `careledger query … --csv` (or `timeline … --csv`) prints, as a download; Accept: text/csv asks for it too", Schema.format(["json", "csv"]))
        let readModel = [parameter("asOf", "valid time: YYYY-MM-DD", Schema.date), parameter("knownAt", "transaction time: an RFC 3339 instant", Schema.instant),
                         parameter("period", "YYYY-MM, YYYY-Qn, YYYY-YY or YYYY-MM-DD..YYYY-MM-DD", Schema.period), parameter("publish", "true for disclosure control", Schema.flag),
                         csvFormat]
        func get(_ summary: String, _ parameters: [JSONValue], _ codes: [(String, String)], answer: String, workbook: Bool = false) -> JSONValue {
            let csv = parameters.contains { $0["name"]?.stringValue == "format" }
            return .object([("summary", .string(summary)), ("parameters", .array(parameters)),
                            ("responses", responses(codes, answer: OpenAPIShapes.ref(answer), csv: csv, workbook: workbook))])
        }
        let paths: [(String, JSONValue)] = [
            ("/v1/events", .object([
                ("get", get("Stored events by global seq, one type or one stream", [
                    parameter("from", "the first seq", Schema.position), parameter("limit", "1 to 10,000 (default 1,000)", Schema.limit),
                    parameter("stream", "one stream", Schema.stream), parameter("type", "one event type", Schema.eventType),
                ] + personalData, [("200", "a page of events and the next seq")] + denied + [rotated], answer: "EventsPage")),
                ("post", .object([
                    ("summary", .string("Append one atomic batch: {\"events\": [...], \"expectedVersions\": {...}}, NDJSON, or a spreadsheet's rows (CSV, or a workbook's first sheet: \(Workbook.kinds)) of the type= given or of their type column's")),
                    ("parameters", .array([parameter("check", "true: check the batch and write nothing; 200 with the report, or the first problem's status with every problem", Schema.flag),
                                           parameter("type", "with a CSV or workbook body (\(Workbook.kinds); refused with any other): the event type of every row, else a type column names each row's; the header (the first row naming occurredOn) names the columns: occurredOn, the data's fields, id and meta.KEY", Schema.eventType),
                                           parameter("sheet", "with a workbook body (\(Workbook.kinds)): the sheet to read, by the name on its tab (a web page's table by its caption or the heading above it, else by the name Excel shows for the page, else Table N); its first if not given")])),
                    ("requestBody", .object([("required", true), ("content", .object([("application/json", .object([("schema", .object([("anyOf", .array([OpenAPIShapes.ref("Batch"), OpenAPIShapes.ref("WrittenEvent")]))]))])),
                                                                                     ("application/x-ndjson", stringSchema), ("text/csv", stringSchema),
                                                                                     ("text/tab-separated-values", stringSchema),
                                                                                     ] + workbooks))])),
                    ("responses", responses([("201", "appended: the events' positions"), ("200", "identical duplicates: the original positions; with check=true, the report"),
                                             ("400", "a refused event (nothing written)"), ("401", "no known token"), ("403", "the token lacks the role"),
                                             ("409", "an expected version or a reused id"), ("413", "an event over 64 KiB or a body over 16 MiB"), ("415", "a form: send the rows as a workbook (.xlsx or .ods) or CSV"),
                                             ("503", "personal data while the server has no master key (started without one) or not the ledger's (rotated since it started), or a workbook while the server cannot start its reader: nothing written; send it again once its operator has put it right")],
                                            answer: .object([("anyOf", .array([OpenAPIShapes.ref("Appended"), OpenAPIShapes.ref("BatchCheck")]))]))),
                ])),
            ])),
            ("/v1/streams/{stream}", .object([("get", get("One stream's events by version", [
                parameter("stream", in: "path", "a stream such as worker-W-00123", Schema.stream), parameter("fromVersion", "the first version", Schema.position),
                parameter("limit", "1 to 10,000 (default 1,000)", Schema.limit),
            ] + personalData, [("200", "a page of events and the next version")] + denied + [rotated], answer: "EventsPage"))])),
            ("/v1/subscribe", .object([("get", .object([
                ("summary", "Server-Sent Events: catch up from `from` (or after Last-Event-ID), then follow live"),
                ("parameters", .array([parameter("from", "the first seq", Schema.position), parameter("Last-Event-ID", in: "header", "resume after this seq", Schema.lastEventID)] + personalData)),
                ("responses", .object([("200", .object([("description", "an event stream: a message per event (id: seq, data: the event, a StoredEvent, as one line of JSON), and a comment line, `: heartbeat`, after 15 s (serve --heartbeat-every) with nothing new; it ends with an event `problem`, its data the problem details, when it cannot go on (a reveal the server can no longer make), after which a client may resume"), ("content", .object([("text/event-stream", stringSchema)]))]))]
                                      + (responses(denied + [rotated]).objectValue ?? []))),
            ]))])),
            ("/v1/caseload", .object([("get", get("The cases open on asOf, as known at knownAt (SPEC 5.1)", readModel, [("200", "the caseload")] + denied, answer: "Caseload"))])),
            ("/v1/retention", .object([("get", get("Retention cohorts (SPEC 5.2)", readModel + [
                parameter("by", "provider, laCode, viaReplacement or route", Schema.grouping), parameter("horizons", "months, such as 3,6,12", Schema.horizons),
            ], [("200", "cohorts")] + denied, answer: "Retention"))])),
            ("/v1/partners", .object([("get", get("Partner activity over a period (SPEC 5.3)", readModel, [("200", "partners")] + denied, answer: "PartnerActivity"))])),
            ("/v1/timeline/programme", .object([("get", get("The programme month by month (SPEC 5.4)", readModel, [("200", "months")] + denied, answer: "ProgrammeTimeline"))])),
            ("/v1/timeline/{kind}/{id}", .object([("get", get("A worker's, case's, provider's or partner's timeline (SPEC 5.4)", [
                parameter("kind", in: "path", "worker, case, provider or partner", Schema.timelineKind), parameter("id", in: "path", "its id", Schema.id),
                parameter("knownAt", "transaction time: an RFC 3339 instant", Schema.instant), parameter("publish", "true: organisational events only", Schema.flag),
                csvFormat,
            ], [("200", "the timeline"), ("404", "no events about it are known then")] + denied, answer: "Timeline"))])),
            ("/v1/erasures", .object([("post", .object([
                ("summary", "Erase a worker's personal data (staff): destroy its key, append PersonalDataErased"),
                ("requestBody", .object([("required", true), ("content", .object([("application/json", .object([("schema", .object([
                    ("type", "object"), ("required", .array(["workerRef", "requestReference"])), ("additionalProperties", false),
                    ("properties", .object([("workerRef", Schema.id),
                                            ("requestReference", .object([("type", "string"), ("minLength", 1), ("maxLength", 200)]))])),
                ]))]))]))])),
                ("responses", responses([("201", "erased: the PersonalDataErased event's position, and keyDestroyed (false when the worker held no personal data)"), ("400", "an unknown or already erased worker"),
                                         ("401", "no known token"), ("403", "the token lacks the staff role")], answer: OpenAPIShapes.ref("Erasure"))),
            ]))])),
            ("/v1/access-log", .object([("get", get("Every reveal of personal data, oldest first, and a check of its chain (staff)",
                                                    [parameter("worker", "only reveals of this worker", Schema.id)], [("200", "the entries")] + denied, answer: "AccessLog"))])),
            ("/v1/digest", .object([("get", get("The head: seq and hash (with knownAt, as it stood then)", [parameter("knownAt", "transaction time: an RFC 3339 instant", Schema.instant)],
                                              [("200", "the digest"), ("400", "a malformed knownAt"), ("401", "no known token"), ("403", "the token lacks the role")], answer: "Digest"))])),
            ("/v1/verify", .object([("get", get("Replay the hash chain; one run at a time, shared by the requests that arrive while one runs",
                                                [parameter("digest", "SEQ:HASH, a head published earlier: ok only if the log still extends it (the event at SEQ still has HASH)", Schema.digest)],
                                                [("200", "ok, or the first bad seq"), ("400", "a malformed digest"), ("401", "no known token"), ("403", "the token lacks the role")], answer: "Verification"))])),
            ("/v1/changes", .object([("get", get("What the log recorded since an earlier reading that changes figures as of a date: the events recorded since and dated on or before it, and the retractions since of events so dated (counts alone for a board); and the figures that read differently, known then and now (published for a board)",
                                               [parameter("since", "the earlier reading: SEQ:HASH printed beside the figures, or the RFC 3339 instant they were known at", Schema.reading, required: true),
                                                parameter("until", "a later reading to compare with, in the same forms (default: now)", Schema.reading),
                                                parameter("asOf", "the date the figures are as of (default: the earlier reading's date)", Schema.date),
                                                parameter("period", "the figures' period: as of its last day (default: from the start of the date's financial year to the date)", Schema.period),
                                                parameter("by", "retention's figures split by provider, laCode, viaReplacement or route", Schema.grouping),
                                                parameter("horizons", "retention's horizons in months, comma-separated (default 3,6,12)", Schema.horizons),
                                                parameter("publish", "compare the figures as published (SPEC 5.5), and list no events; always so for a board", Schema.flag),
                                                parameter("figures", "the figures without the events (their counts alone); with format=csv, the figures rather than the events (always so when published)", Schema.flag),
                                                parameter("format", "json (the default) or csv, as careledger changes --csv writes it", Schema.format(["json", "csv"]))],
                                               [("200", "the changes"), ("400", "a malformed or missing parameter"), ("401", "no known token"),
                                                ("403", "the token lacks the role"), ("409", "the log does not extend the digest")], answer: "Changes"))])),
            ("/v1/schemas", .object([("get", get("The JSON Schema of every event type and version, or of some; or a sheet to fill in with their rows", [
                parameter("types", "comma-separated event types: only theirs"),
                parameter("format", "json (the default), csv, xlsx or ods: with types, the sheet careledger schemas TYPE… --csv writes (columns and an example row each), as a download, or as the workbook --xlsx (or --ods) writes (columns formatted by what they hold, a drop-down of each field's listed values); Accept: text/csv asks for csv too", Schema.format(["json", "csv", "xlsx", "ods"])),
            ], [("200", "the schemas, or the sheet"), ("400", "an unknown type, or csv, xlsx or ods without types")], answer: "Schemas", workbook: true))])),
            ("/healthz", .object([("get", get("Liveness and the head seq", [], [("200", "alive"), ("503", "alive, but the token file cannot be read: every route that checks a token answers 503 until it is mended (the problem document says why, with ok false and the head seq)")], answer: "Health"))])),
            ("/metrics", .object([("get", .object([("summary", "Prometheus text"), ("responses", .object([
                ("200", .object([("description", "metrics"), ("content", .object([("text/plain", stringSchema)]))])),
            ]))]))])),
            ("/openapi.json", .object([("get", .object([("summary", "This document"), ("responses", responses([("200", "OpenAPI 3.1")]))]))])),
        ]
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([("title", "CareLedger"), ("version", "1"),
                              ("description", "The HTTP endpoint of CareLedger's SPEC section 8: append-only events, read models, integrity. Any request may also be answered, with a Problem and Connection: close, 408 when it did not arrive whole within serve --request-timeout of its connection's opening or previous answer, or 503 when its client already holds serve --max-connections-per-client connections.")])),
            ("components", .object([("schemas", .object(OpenAPIShapes.components)),
                                    ("securitySchemes", .object([("bearer", .object([("type", "http"), ("scheme", "bearer")]))]))])),
            ("security", .array([.object([("bearer", .array([]))])])),
            ("paths", .object(paths)),
        ])
    }()
}
