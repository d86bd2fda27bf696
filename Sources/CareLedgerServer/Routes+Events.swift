internal import Hummingbird
internal import CareLedger
internal import SpreadsheetRows
internal import ReadModels
internal import LedgerJSON
internal import NIOCore
internal import Foundation

extension CareLedgerServer {
    /// The page size of `GET /v1/events` and `/v1/streams/…` when none is asked for, and the most.
    static let defaultLimit = 1_000, maximumLimit = 10_000
    private static let erasureType = Array("PersonalDataErased".utf8)

    /// `POST /v1/events`, `GET /v1/events`, `GET /v1/streams/{stream}`.
    static func addEventRoutes(
        to router: Router<BasicRequestContext>, models: ReadModels, accessLog: AccessLog, access: AccessControl, metrics: ServerMetrics,
        writes: Lane, sheets: SheetReader
    ) {
        let committer = GroupCommitter(ledger: models.ledger, metrics: metrics, writes: writes)
        router.post("v1/events") { request, _ in
            let caller = try access.caller(request, anyOf: [.writer])
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            // A browser's form: say what to send, not that it is not JSON.
            if contentType.hasPrefix("multipart/form-data") {
                throw HTTPError(.unsupportedMediaType, message: "events are sent as NDJSON (application/x-ndjson, an event per line), JSON ({\"events\": [...]}) or a spreadsheet's rows as a workbook (.xlsx or .ods) or CSV UTF-8 (text/csv), with ?type= or a type column, not \(contentType.prefix { $0 != ";" }); nothing was written")
            }
            let rowsType = request.uri.queryParameters["type"].map(String.init)
            let sheet = request.uri.queryParameters["sheet"].map(String.init)
            let buffer = try await collectBody(of: request, upTo: maximumBody, what: "a batch of events",
                                               instead: "send the events in batches of up to 16 MiB, or import a file of any size with careledger import")
            let bytes = Array(buffer.readableBytesView)
            // A workbook is known by its bytes, whatever its Content-Type says: curl sends a file
            // as a form's unless told otherwise.
            let isCSV = CSVBody.isCSV(contentType: contentType) || Workbook.isWorkbook(bytes)
            if rowsType != nil && !isCSV {
                throw LedgerError(.usage, "type= names the event type of a spreadsheet's rows, a workbook (.xlsx or .ods) or CSV (Content-Type: text/csv); a JSON or NDJSON body names each event's own type; nothing was written")
            }
            // An old .xls, a web page, a PDF sent as events: said for what it is, not by its first line.
            if !isCSV, let other = CSVRows.documentInsteadOfEvents(bytes, named: "the body") {
                throw LedgerError(.rejected, "\(other.rule), then send it with ?type=TYPE (or a type column); events themselves are sent as NDJSON or {\"events\": [...]}; nothing was written")
            }
            if sheet != nil && !isCSV {
                throw LedgerError(.usage, "sheet= names the sheet of a workbook sent as the body (an .xlsx or .ods); a JSON or NDJSON body has none; nothing was written")
            }
            // A spreadsheet's rows are made events on the pool, not on the connection's event
            // loop: 16 MiB of rows is seconds of work that other requests would wait behind.
            let body = isCSV ? try await readingSpreadsheet { try await CSVBody.events(bytes, typeName: rowsType, sheet: sheet, sheets: sheets) } : bytes
            // Erasure destroys a key: the staff role's act (POST /v1/erasures), not a writer's.
            if !caller.held.contains(.staff),
               ByteSearch.firstOffset(of: erasureType, in: body) != nil {
                throw HTTPError(.forbidden, message: "PersonalDataErased destroys a worker's key: the staff role erases, through POST /v1/erasures")
            }
            // A mistyped check=1 must not append for real what its sender meant only to check.
            switch request.uri.queryParameters["check"].map(String.init) {
            case "true"?: return try await check(body, models: models, writes: writes)
            case nil, "false"?: break
            case let other?: throw LedgerError(.usage, "check=\(other) must be true (check, and write nothing) or false; nothing was written")
            }
            let result = try await committer.append(body)
            return json(result.json, status: result.onlyDuplicates ? .ok : .created)
        }
        router.get("v1/events") { request, _ in
            let caller = try access.caller(request, anyOf: [.staff, .auditor])
            let view = try personalDataView(request, caller: caller)
            let query = request.uri.queryParameters
            let from = try number(query["from"].map(String.init), name: "from", default: 1, minimum: 1)
            let limit = try pageSize(query["limit"].map(String.init))
            var filter = EventFilter(from: Seq(UInt64(from)))
            if let stream = query["stream"].map(String.init) {
                guard let id = StreamID(stream) else { throw LedgerError(.usage, "stream \"\(stream)\" is not a stream name such as worker-W-00123") }
                filter.stream = id
            }
            if let type = query["type"].map(String.init) {
                guard let known = EventType(rawValue: type) else {
                    let hint = NearestName.hint(for: String(type), among: EventType.allCases.map(\.rawValue))
                    throw LedgerError(.usage, "type \"\(type)\" is not an event type of the catalogue\(hint)")
                }
                filter.type = known
            }
            let chosen = filter
            let page = try await blocking {
                var events: [StoredEvent] = []
                let next = try models.ledger.readEvents(chosen, limit: limit) { events.append($0) }
                return (try serve(events, view: view, models: models, accessLog: accessLog, caller: caller, via: "GET /v1/events"),
                        next.map { Int64($0.rawValue) })
            }
            return eventsPage(page.0, next: page.1, ndjson: wantsNDJSON(request))
        }
        router.get("v1/streams/:stream") { request, context in
            let caller = try access.caller(request, anyOf: [.writer, .staff, .auditor])
            let view = try personalDataView(request, caller: caller)
            let name = try pathParameter(context, "stream")
            guard let stream = StreamID(name) else { throw LedgerError(.usage, "\"\(name)\" is not a stream name such as worker-W-00123") }
            let query = request.uri.queryParameters
            let fromVersion = try number(query["fromVersion"].map(String.init), name: "fromVersion", default: 1, minimum: 1)
            let limit = try pageSize(query["limit"].map(String.init))
            let page = try await blocking {
                let (events, next) = try models.ledger.withSnapshot { snapshot -> ([StoredEvent], Int64?) in
                    let seqs = try snapshot.seqs(inStream: stream)
                    let start = min(seqs.count, fromVersion - 1), end = min(seqs.count, start + limit)
                    let events = try seqs[start..<end].compactMap { try snapshot.storedEvent(at: $0) }
                    return (events, end < seqs.count ? Int64(end + 1) : nil)
                }
                return (try serve(events, view: view, models: models, accessLog: accessLog, caller: caller, via: "GET /v1/streams/\(stream)"), next)
            }
            return eventsPage(page.0, next: page.1, ndjson: wantsNDJSON(request))
        }
    }

    /// `POST /v1/events?check=true`: the batch checked as it would be appended, and nothing
    /// written. 200 with the report when it would land; otherwise the problem its first problem
    /// makes (400, 409 or 413), carrying the report, every problem in it, so that a sender mends
    /// them all in one round.
    private static func check(_ body: [UInt8], models: ReadModels, writes: Lane) async throws -> Response {
        // A check takes the write lock as the append would, and then writes nothing.
        let report = try await writes.run { try models.ledger.checkAppend(body: body) }
        guard let first = report.problems.first else { return json(report.json) }
        let count = report.problemCount
        return Problem.response(
            status: Problem.status(for: first.code), title: first.code.description,
            detail: "the batch would not land: \(count) problem\(count == 1 ? "" : "s"), the first: \(first); nothing was written",
            extra: report.json.objectValue ?? [])
    }

    /// `{"events": [...], "next": N or null}`, or NDJSON.
    static func eventsPage(_ events: [[UInt8]], next: Int64?, ndjson: Bool) -> Response {
        var buffer = ByteBuffer()
        if ndjson {
            for event in events {
                buffer.writeBytes(event)
                buffer.writeString("\n")
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody(byteBuffer: buffer))
        }
        buffer.writeString(#"{"events":["#)
        for (i, event) in events.enumerated() {
            if i > 0 { buffer.writeString(",") }
            buffer.writeBytes(event)
        }
        buffer.writeString(#"],"next":"# + (next.map(String.init) ?? "null") + "}\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    static func wantsNDJSON(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("application/x-ndjson") ?? false
    }

    static func pageSize(_ text: String?) throws(LedgerError) -> Int {
        try number(text, name: "limit", default: defaultLimit, minimum: 1, maximum: maximumLimit)
    }

    /// A path parameter, percent-decoded: ids may hold `:` and `.`, which some clients encode.
    static func pathParameter(_ context: some RequestContext, _ name: String) throws -> String {
        let raw = String(try context.parameters.require(name))
        return raw.removingPercentEncoding ?? raw
    }

    /// A whole-number query parameter, or a usage error naming it.
    static func number(_ text: String?, name: String, default value: Int, minimum: Int, maximum: Int = Int.max) throws(LedgerError) -> Int {
        guard let text else { return value }
        guard let number = Int(text), number >= minimum, number <= maximum else {
            throw LedgerError(.usage, "\(name)=\(text) must be a whole number from \(minimum)\(maximum == Int.max ? " up" : " to \(maximum)")")
        }
        return number
    }
}
