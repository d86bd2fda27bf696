internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import LedgerJSON

/// Personal data over HTTP (SPEC sections 6 and 8): redaction by role, reveals recorded before
/// they are shown, erasure and the access log for the `staff` role.
extension CareLedgerServer {
    /// How the events of `request` show personal data: `stored=true` for auditor and staff,
    /// `reveal=true` for staff; otherwise, and for every other role whatever it asks, redacted
    /// (SPEC section 8: personal data reads "[redacted]" for every role unless staff reveals).
    static func personalDataView(_ request: Request, caller: AccessControl.Caller) throws -> PersonalDataView {
        let query = request.uri.queryParameters
        let stored = try flag(query["stored"].map(String.init), name: "stored")
        let reveal = try flag(query["reveal"].map(String.init), name: "reveal")
        if stored && reveal { throw LedgerError(.usage, "stored=true and reveal=true exclude each other") }
        if reveal && caller.roles.contains(.staff) { return .revealed }
        if stored && !caller.roles.isDisjoint(with: [.staff, .auditor]) { return .stored }
        return .redacted
    }

    /// Serves `events` as `view` shows them, recording every reveal in the access log before
    /// any of it is returned: a reveal that cannot be recorded is not made.
    static func serve(
        _ events: [StoredEvent], view: PersonalDataView, models: ReadModels, accessLog: AccessLog, caller: AccessControl.Caller, via: String
    ) throws -> [[UInt8]] {
        var reveals: [String: [Seq]] = [:]
        let served = try events.map { event throws(LedgerError) in
            let shown = try models.ledger.served(event, view: view)
            if let worker = shown.revealedWorker { reveals[worker, default: []].append(event.seq) }
            return shown.json
        }
        try accessLog.record(who: caller.name, via: via, reveals: reveals)
        return served
    }

    /// `POST /v1/erasures` and `GET /v1/access-log`, for the staff role.
    static func addPersonalDataRoutes(to router: Router<BasicRequestContext>, models: ReadModels, accessLog: AccessLog, access: AccessControl,
                                      writes: Lane) {
        router.post("v1/erasures") { request, _ in
            let caller = try access.caller(request, anyOf: [.staff])
            let buffer = try await collectBody(of: request, upTo: 64 * 1024, what: "an erasure request",
                                               instead: "send {\"workerRef\": \"W-…\", \"requestReference\": \"…\"}")
            guard let body = try? JSONValue(parsing: String(buffer: buffer)),
                  let worker = body["workerRef"]?.stringValue, let reference = body["requestReference"]?.stringValue else {
                throw LedgerError(.rejected, "send {\"workerRef\": \"W-…\", \"requestReference\": \"…\"}", pointer: "")
            }
            // An erasure cannot be undone: a member it does not know (a "dryRun", say) is refused
            // rather than ignored.
            if let unknown = body.objectValue?.map(\.0).first(where: { $0 != "workerRef" && $0 != "requestReference" }) {
                throw LedgerError(.rejected, "an erasure takes workerRef and requestReference only; nothing was erased", pointer: "/\(unknown)")
            }
            let (result, held) = try await writes.run {
                let held = try models.ledger.vault.hasKey(worker)
                return (try models.ledger.erase(worker: worker, request: reference, actor: caller.name), held)
            }
            return json(.object([
                // keyDestroyed false: the worker held no personal data, so none was destroyed.
                ("workerRef", .string(worker)), ("erased", true), ("keyDestroyed", .bool(held)), ("event", result.positions[0].json),
            ]), status: .created)
        }
        router.get("v1/access-log") { request, _ in
            _ = try access.require(request, anyOf: [.staff])
            let worker = request.uri.queryParameters["worker"].map(String.init)
            let (entries, check) = try await blocking { (try accessLog.list(worker: worker), try accessLog.verify()) }
            var verification: [(String, JSONValue)] = [("ok", .bool(check.firstBadSeq == nil)), ("entries", .integer(Int64(check.entries))),
                                                       ("headHash", .string(check.headHash))]
            if let bad = check.firstBadSeq { verification.append(("firstBadSeq", .integer(Int64(bad)))) }
            return json(.object([("entries", .array(entries.map(\.json))), ("verification", .object(verification))]))
        }
    }

    /// A `true`/`false` query parameter (absent is false), or a usage error naming it.
    static func flag(_ text: String?, name: String) throws(LedgerError) -> Bool {
        switch text {
        case nil, "false": false
        case "true": true
        case let other?: throw LedgerError(.usage, "\(name)=\(other) must be true or false")
        }
    }
}
