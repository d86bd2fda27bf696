internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import LedgerJSON
internal import ProjectionKit
internal import SpreadsheetRows

extension CareLedgerServer {
    /// `/healthz`, `/v1/digest`, `/v1/verify`, `/v1/changes`, `/v1/schemas`.
    static func addIntegrityRoutes(to router: Router<BasicRequestContext>, models: ReadModels, access: AccessControl,
                                   verification: SharedRun<VerificationReport>, readModelWrites: Lane) {
        router.get("healthz") { _, _ in
            let head = try models.ledger.head()
            let seq: (String, JSONValue) = ("seq", .integer(Int64(head.seq.rawValue)))
            // Alive but unable to check a token answers every other route 503: a monitor of
            // this route is told so, rather than that all is well.
            do throws(LedgerError) {
                _ = try access.tokens
            } catch {
                return Problem.response(status: .serviceUnavailable, title: error.code.description, detail: error.description, extra: [("ok", false), seq])
            }
            return json(.object([("ok", true), seq]))
        }
        router.get("v1/digest") { request, _ in
            _ = try access.require(request, anyOf: [.writer, .staff, .auditor, .board])
            // With knownAt, the head as it stood then: the digest under figures known at that instant.
            let knownAt = try request.uri.queryParameters["knownAt"].map { text throws(LedgerError) in
                try QueryOptions.instant(String(text), option: "knownAt")
            }
            // The head is one read; the head at an instant is a binary search of the log, which
            // belongs on the thread pool with the other LMDB work, not on an event loop.
            let head: LogHead
            if let knownAt {
                head = try await blocking { try models.ledger.withSnapshot { try $0.head(knownAt: knownAt) } }
            } else {
                head = try models.ledger.head()
            }
            return json(head.digestJSON)
        }
        router.get("v1/verify") { request, _ in
            _ = try access.require(request, anyOf: [.staff, .auditor, .board])
            let digest = try request.uri.queryParameters["digest"].map { text throws(LedgerError) in try publishedDigest(String(text)) }
            let report = try await verified(by: verification, digest: digest, models: models)
            if report.ok {
                return json(.object([("ok", true)] + report.head.digestMembers))
            }
            return json(.object([("ok", false), ("firstBadSeq", report.firstBadSeq.map { .integer(Int64($0.rawValue)) } ?? .null),
                                 ("detail", .string(report.detail ?? "the chain does not verify"))]))
        }
        // What the log recorded since an earlier reading that changes figures as of a date, and
        // the figures it changed (`careledger changes`): the events for staff and auditors, the
        // counts and the published figures for a board.
        router.get("v1/changes") { request, _ in
            let roles = try access.require(request, anyOf: [.staff, .auditor, .board])
            let query = request.uri.queryParameters
            guard let since = query["since"].map(String.init), !since.isEmpty else {
                throw LedgerError(.usage, "since is required: the digest printed beside earlier figures (SEQ:HASH) or the instant they were known at")
            }
            let reading = try QueryOptions.earlierReading(since, option: "since")
            let later = try query["until"].map { text throws(LedgerError) in try QueryOptions.earlierReading(String(text), option: "until") }
            // asOf, period, by, horizons and publish as the read models' routes take them.
            let (figures, publish) = try queryOptions(request, roles: roles)
            if figures.asOf != nil && figures.period != nil { throw LedgerError(.usage, "give asOf or period, not both: a period's figures are as of its last day") }
            // As `careledger changes` answers: with figures=true (and always when published,
            // which lists no events) the figures without the events; in CSV, the figures.
            let format = try ReadModelAnswer.Format(request)
            let figuresAlone: Bool
            switch query["figures"].map(String.init) {
            case nil, "false"?: figuresAlone = publish
            case "true"?, ""?: figuresAlone = true
            case let other?: throw LedgerError(.usage, "figures=\(other) must be true or false")
            }
            do {
                try await catchUp(models, through: readModelWrites)
                return try await blocking { () throws -> ReadModelAnswer in
                    let changes = try models.ledger.changes(since: reading, until: later, asOf: figures.asOf ?? figures.period?.to, readBy: ReadModels.figureTypes)
                    let figureChanges = try models.figureChanges(changes, figures: figures)
                    if format == .csv {
                        return figuresAlone
                            ? .csv(figureChanges.table, name: "figure-changes-\(changes.then.seq)-\(changes.now.seq)")
                            : .csv(changes.table, name: "changes-\(changes.then.seq)-\(changes.now.seq)")
                    }
                    guard case .object(let members) = changes.json(withEvents: !figuresAlone) else { return .json(.null) }
                    return .json(.object(members + figureChanges.jsonMembers))
                }.response
            } catch let error as LedgerError {
                // A digest the log no longer extends is the request's disagreement with the log,
                // not the server's failure.
                guard error.code == .verificationFailed, reading.isDigest || later?.isDigest == true else { throw error }
                return Problem.response(status: .conflict, title: error.code.description, detail: error.description)
            }
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.text)))
        }
        router.get("v1/schemas") { request, _ in try schemas(request).response }
    }

    /// `GET /v1/schemas`: every schema (SPEC 8), or with `types=A,B` those types'; with
    /// `format=csv`, the sheet a provider fills in with rows of those types, as `careledger
    /// schemas A B --csv` writes it, for a programme officer to send out from the browser; with
    /// `format=xlsx` or `format=ods`, that sheet as the workbook `schemas A B --xlsx` (`--ods`) writes.
    static func schemas(_ request: Request) throws(LedgerError) -> ReadModelAnswer {
        let catalogue = EventCatalogue.standard
        var types: [EventType]?
        if let list = request.uri.queryParameters["types"].map(String.init) {
            // An empty list answered no schemas at all, as if the catalogue were empty.
            guard list.contains(where: { $0 != "," && $0 != " " }) else {
                throw LedgerError(.usage, "types=\(list) names no event type: name one or more, comma-separated (types=WorkerArrived,EmploymentEnded), or leave types out for them all")
            }
            types = try list.split(separator: ",").map { name throws(LedgerError) in
                let trimmed = String(name.filter { $0 != " " })
                guard let type = EventType(rawValue: trimmed) else {
                    throw LedgerError(.usage, "types=\(list): \"\(trimmed)\" is not an event type of the catalogue\(NearestName.hint(for: trimmed, among: EventType.allCases.map(\.rawValue)))")
                }
                return type
            }.eachOnce()
        }
        let workbook = request.uri.queryParameters["format"].flatMap { ReturnWorkbook.Format(rawValue: String($0)) }
        let format = workbook != nil ? .csv : try ReadModelAnswer.Format(request, or: ReturnWorkbook.Format.allCases.map(\.rawValue))
        guard format == .csv else { return .json(catalogue.published(of: types.map(Set.init))) }
        guard let types, !types.isEmpty else {
            throw LedgerError(.usage, "format=\(workbook?.rawValue ?? "csv") is a sheet of the rows of some types: name them, as in types=EmploymentStarted,EmploymentEnded")
        }
        let sheet = catalogue.rowSheet(of: types, on: Instant.now().date)
        let name = types.map(\.rawValue).joined(separator: "-")
        return workbook.map { .workbook(ReturnWorkbook.file(sheet, as: $0), $0, name: name) } ?? .csv(ReportTable(title: "", columns: sheet.columns, rows: sheet.rows), name: name)
    }

    /// The shared verification's report and then, with `digest`, whether the log it verified
    /// extends that published head (`verify --digest`).
    static func verified(by verification: SharedRun<VerificationReport>, digest: PublishedDigest?, models: ReadModels) async throws -> VerificationReport {
        let report = try await verification.value()
        guard let digest else { return report }
        return try await blocking { try models.ledger.checkDigest(digest, verified: report) }
    }

    /// A published head as a person typed or pasted it, surrounding blanks aside.
    static func publishedDigest(_ text: String) throws(LedgerError) -> PublishedDigest {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 1, let digest = PublishedDigest(String(words[0])) else {
            let reason = words.count == 1 ? PublishedDigest.problem(with: String(words[0])) : nil
            throw LedgerError(.usage, "digest \"\(text)\" is not a published head: \(reason ?? PublishedDigest.writtenForm)")
        }
        return digest
    }
}
