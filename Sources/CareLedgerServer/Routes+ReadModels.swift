internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import LedgerJSON
internal import Caseload
internal import Retention
internal import PartnerActivity
internal import Timelines

extension CareLedgerServer {
    /// `/v1/caseload`, `/v1/retention`, `/v1/partners`, `/v1/timeline/…`: the same JSON as the
    /// CLI's `--json`.
    static func addReadModelRoutes(to router: Router<BasicRequestContext>, models: ReadModels, access: AccessControl,
                                   readModelWrites: Lane) {
        /// A read model for staff, auditors and boards (published), as JSON or as CSV (`format=csv`).
        func serve(_ path: String, _ answer: @escaping @Sendable (_ options: QueryOptions, _ publish: Bool, _ csv: Bool) throws -> ReadModelAnswer) {
            router.get(RouterPath(path)) { request, _ in
                let (options, publish) = try queryOptions(request, roles: try access.require(request, anyOf: [.staff, .auditor, .board]))
                let csv = try ReadModelAnswer.Format(request) == .csv
                try await catchUp(models, through: readModelWrites)
                return try await blocking { try answer(options, publish, csv) }.response
            }
        }
        serve("v1/caseload") { options, publish, csv in
            let caseload = try models.caseload(options)
            return csv ? .csv(caseload.table(publish: publish), name: "caseload-\(caseload.asOf)") : .json(caseload.json(publish: publish))
        }
        serve("v1/retention") { options, publish, csv in
            let retention = try models.retention(options)
            return csv ? .csv(retention.table(publish: publish), name: "retention-\(retention.period)") : .json(retention.json(publish: publish))
        }
        serve("v1/partners") { options, publish, csv in
            let partners = try models.partners(options)
            return csv ? .csv(partners.table(publish: publish), name: "partners-\(partners.period)") : .json(partners.json(publish: publish))
        }
        serve("v1/timeline/programme") { options, publish, csv in
            let programme = try models.programme(period: options.period, knownAt: options.knownAt)
            return csv ? .csv(programme.table(publish: publish), name: "programme-\(programme.period)") : .json(programme.json(publish: publish))
        }
        router.get("v1/timeline/:kind/:id") { request, context in
            let kindName = try pathParameter(context, "kind"), id = try pathParameter(context, "id")
            guard let kind = TimelineKind(rawValue: kindName) else {
                let hint = NearestName.hint(for: kindName, among: ["worker", "case", "provider", "partner", "programme"])
                throw LedgerError(.notFound, "no timeline of kind \"\(kindName)\"\(hint): use worker, case, provider, partner or programme")
            }
            // A board reads provider and partner timelines, organisational events only; never a worker's or a case's.
            let roles = try access.require(request, anyOf: kind.isOrganisational ? [.staff, .auditor, .board] : [.staff, .auditor])
            let (options, publish) = try queryOptions(request, roles: roles)
            let format = try ReadModelAnswer.Format(request)
            try await catchUp(models, through: readModelWrites)
            return try await blocking { () throws -> ReadModelAnswer in
                let timeline = try models.timeline(kind, id: id, knownAt: options.knownAt, publish: publish)
                return format == .csv ? .csv(timeline.table, name: "timeline-\(kind.rawValue)-\(id)") : .json(timeline.json)
            }.response
        }
    }

    /// `asOf`, `knownAt`, `period`, `by`, `horizons` and `publish`, as SPEC section 8 names them.
    /// A request holding only the `board` role is published whatever it asks.
    static func queryOptions(_ request: Request, roles: Set<Role>) throws(LedgerError) -> (QueryOptions, publish: Bool) {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        var options = QueryOptions()
        if let asOf = text("asOf") { options.asOf = try QueryOptions.date(asOf, option: "asOf") }
        if let knownAt = text("knownAt") { options.knownAt = try QueryOptions.instant(knownAt, option: "knownAt") }
        if let period = text("period") { options.period = try Period(period) }
        if let by = text("by") { options.by = try QueryOptions.grouping(by, option: "by") }
        if let horizons = text("horizons") { options.horizons = try QueryOptions.horizons(horizons, option: "horizons") }
        let publish = try publishing(request, roles: roles)
        options.publish = publish
        return (options, publish)
    }

    /// Whether the answer is published: asked with `publish`, or always for a request holding
    /// only the `board` role.
    static func publishing(_ request: Request, roles: Set<Role>) throws(LedgerError) -> Bool {
        if roles.publishedOnly { return true }
        switch request.uri.queryParameters["publish"].map(String.init) {
        case nil, "false"?: return false
        case "true"?, ""?: return true
        case let other?: throw LedgerError(.usage, "publish=\(other) must be true or false")
        }
    }

    /// Folds what the log holds beyond the read models into them through `lane`, one request at a
    /// time, before a query: a catch-up takes the read models' write lock, which a
    /// `careledger projections rebuild` in another process holds for as long as it runs, and
    /// queries waiting for it on NIO's pool would hold every thread reads need. The query
    /// itself then finds them current (or answers as of what they hold, never waiting).
    static func catchUp(_ models: ReadModels, through lane: Lane) async throws {
        _ = try await lane.run { try models.catchUp() }
    }
}
