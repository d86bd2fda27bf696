internal import Hummingbird
internal import CareLedger
internal import ReadModels
internal import LedgerJSON
internal import NIOCore
internal import HTTPTypes

extension CareLedgerServer {
    /// `GET /correct?seq=N` and `POST /correct`: the dashboard's way to correct a mistake (SPEC
    /// 4), as `careledger retract SEQ --mend FIELD=VALUE` does: the event's fields, each as
    /// recorded beside a box to change it, and a reason; the retraction and the right fact (the
    /// event with the fields changed, the rest copied) land in one atomic batch, or the event is
    /// retracted alone. Linked from a timeline's seqs for a token with the writer role; posted
    /// to this site only, as `/record` is.
    static func addCorrectPage(to router: Router<BasicRequestContext>, models: ReadModels, access: AccessControl, accessLog: AccessLog, writes: Lane) {
        /// Records the reveals of the page about to be shown: a reveal not recorded is not made.
        @Sendable func recordReveals(_ targets: [CorrectionTarget], _ request: Request, via: String) async throws {
            var reveals: [String: [Seq]] = [:]
            for target in targets { if let worker = target.shownWorker { reveals[worker, default: []].append(target.stored.seq) } }
            guard !reveals.isEmpty else { return }
            let who = access.callerName(of: request)
            // A durable write, on the pool as the log's are.
            try await blocking { [reveals] in try accessLog.record(who: who, via: via, reveals: reveals) }
        }
        router.get("correct") { request, context in
            if let refusal = try recordRefusal(request, access: access) { return refusal }
            // One seq, or several: `seq=812,813`, or `seq` repeated, as a timeline's boxes send them.
            let named = request.uri.queryParameters.getAll("seq").joined(separator: ",")
            return try await showingUnavailable(request, context.logger, on: { CorrectionPage.missing(named, because: $0.description) }) {
                let mayReveal = try access.holds(.staff, request)  // SPEC 8: reveal=true is the staff role's alone
                let reveal = mayReveal && request.uri.queryParameters["reveal"] == "true"
                let targets: [CorrectionTarget]
                switch try await blocking({ [ledger = models.ledger] in try CorrectionTarget.all(named, in: ledger, reveal: reveal) }) {
                case .found(let found): targets = found
                case .missing(let seq): return html(CorrectionPage.missing(seq), status: .notFound)
                case .refused(let page): return html(page, status: .badRequest)
                }
                if let retraction = targets.first(where: { $0.entry.type == .eventRetracted }) {
                    let retracted = retraction.event["data"]?["targetEventId"]?.stringValue ?? "?"
                    return html(CorrectionPage.missing(named, because: "Seq \(retraction.stored.seq) is a retraction (of event \(retracted)), which cannot itself be retracted: "
                        + "record the fact it took back as a new event, with the record page or careledger record."), status: .conflict)
                }
                try await recordReveals(targets, request, via: "GET /correct")
                var page = CorrectionPage(targets: targets)
                page.mayReveal = mayReveal
                return html(page.html)
            }
        }
        router.post("correct") { request, context in
            if let refusal = try recordRefusal(request, access: access) { return refusal }
            if let refusal = CrossOriginWrite.refusal(of: request) {
                return html(CorrectionPage.missing("", because: refusal.prefix(1).uppercased() + refusal.dropFirst() + "."), status: .forbidden)
            }
            let posted = try await collectBody(of: request, upTo: 1 << 20, what: "a correction", instead: "correct it with careledger retract SEQ --mend FIELD=VALUE")
            let fields = RecordForm.urlEncodedFields(String(buffer: posted))
            let mayReveal = try access.holds(.staff, request)  // SPEC 8: reveal=true is the staff role's alone
            let (named, reveal) = (fields["seq"] ?? "", mayReveal && fields["reveal"] == "true")
            var filled: CorrectionPage?  // the page as given, once its events are read: shown again on a refusal
            let unavailable = { (error: LedgerError) -> String in
                guard var page = filled else { return CorrectionPage.missing(named, because: error.description) }
                page.outcome = .refused([error.description, "Nothing was written."])
                return page.html
            }
            return try await showingUnavailable(request, context.logger, on: unavailable) {
                let targets: [CorrectionTarget]
                switch try await blocking({ [ledger = models.ledger] in try CorrectionTarget.all(named, in: ledger, reveal: reveal) }) {
                case .found(let found): targets = found
                case .missing(let seq): return html(CorrectionPage.missing(seq), status: .notFound)
                case .refused(let page): return html(page, status: .badRequest)
                }
                try await recordReveals(targets, request, via: "POST /correct")
                var page = CorrectionPage(targets: targets, reason: fields["reason"] ?? "")
                page.mayReveal = mayReveal
                for (index, column) in page.columns.enumerated() {
                    if let given = fields[CorrectionPage.fieldName(column)] { page.given[index] = CSVRows.trimmed(given) }
                }
                filled = page
                let action = CorrectionPage.Action(rawValue: fields["action"] ?? "") ?? .check
                let body: [UInt8]
                do {
                    body = try page.batch(action, actor: access.callerName(of: request), today: Instant.now().date)
                } catch let error as LedgerError {
                    page.outcome = .refused([error.description, "Nothing was written."])
                    return html(page.html, status: .badRequest)
                }
                if action == .check {
                    let report = try await writes.run { try models.ledger.checkAppend(body: body) }
                    page.outcome = report.problems.isEmpty ? .wouldLand : .refused(report.problems.map(page.said) + ["Nothing was written."])
                    return html(page.html, status: report.problems.isEmpty ? .ok : .badRequest)
                }
                do {
                    let result = try await writes.run { try models.ledger.append(body: body) }
                    page.outcome = .landed(result)
                    return html(page.html, status: .created)
                } catch let error as LedgerError where BatchCheck.refusesOneEvent(error) {
                    page.outcome = .refused([page.said(error), "Nothing was written."])
                    return html(page.html, status: .badRequest)
                }
            }
        }
    }
}

/// An event a correction page is about, as stored, with its type's columns and its cells.
struct CorrectionTarget: Sendable {
    /// The events a correction page names; the first seq of them the log does not hold; or the
    /// page to show instead, when they are more than a page takes.
    enum Lookup: Sendable {
        case found([CorrectionTarget])
        case missing(String)
        case refused(page: String)
    }

    /// The most events one correction page takes: a timeline's ticked boxes, not a log's worth
    /// (a request naming a million would hold a thread reading them).
    static let mostAtOnce = 200

    /// The events at the seqs `named` lists (`812,813`), each once, in the order given; with
    /// `reveal`, their personal data among their columns, where the server can open it.
    static func all(_ named: String, in ledger: Ledger, reveal: Bool = false) throws(LedgerError) -> Lookup {
        let seqs = named.split(separator: ",").map({ String($0.filter { !$0.isWhitespace }) }).filter { !$0.isEmpty }
        guard seqs.count <= mostAtOnce else {
            return .refused(page: CorrectionPage.missing(named, because: "A correction page takes at most \(mostAtOnce) events at once, and \(seqs.count) were named: "
                + "correct them a page at a time, or retract them with careledger retract SEQ… --reason …"))
        }
        var targets: [CorrectionTarget] = []
        var seen: Set<Seq> = []
        for seq in seqs {
            guard let target = try CorrectionTarget(seq, in: ledger, reveal: reveal) else { return .missing(seq) }
            if seen.insert(target.stored.seq).inserted { targets.append(target) }
        }
        return targets.isEmpty ? .missing(named) : .found(targets)
    }

    let stored: StoredEvent
    let event: JSONValue
    let entry: EventCatalogue.Entry
    /// `occurredOn` and the data's fields, as `record --rows` names them; personal data left out
    /// unless ``shownWorker`` says it is shown.
    let columns: [String]
    /// The event's cell in each column, as a person types it.
    let recorded: [String]
    /// Whether the event carries personal data, which the page never shows.
    let carriesPersonalData: Bool
    /// Whether the right fact can carry that personal data over unchanged: the server holds the
    /// master key and the worker's is not erased. `event` then holds it in plaintext, for the
    /// door to seal again; the page's columns leave it out unless it is shown.
    let copiesPersonalData: Bool
    /// The worker whose personal data the page shows among the columns, when a staff request
    /// asked to see it (`reveal=true`): a reveal, which the route records in the access log.
    let shownWorker: String?

    /// The event at the seq `named`, or `nil` when there is none (or `named` is not a seq).
    /// - Parameter reveal: show its personal data among its columns, where the server can open it.
    init?(_ named: String, in ledger: Ledger, reveal: Bool = false) throws(LedgerError) {
        guard case .seq(let seq)? = Ledger.EventReference(named), let stored = try ledger.event(at: seq) else { return nil }
        var event = try stored.json()
        guard let entry = EventCatalogue.standard.entry(of: event) else { return nil }
        let personal = EventCatalogue.Entry.personalDataMembers
        carriesPersonalData = personal.contains { event["data"]?[$0] != nil }
        var opened: ServedEvent?
        if carriesPersonalData, ledger.vault.masterKey != nil {
            opened = try? ledger.served(stored, view: .revealed)
            if let opened, let revealed = try? JSONValue(parsing: String(decoding: opened.json, as: UTF8.self)),
               !personal.contains(where: { revealed["data"]?[$0] == "[erased]" }) {
                event = revealed
            }
        }
        copiesPersonalData = carriesPersonalData && !personal.contains { event["data"]?[$0]?["ciphertext"] != nil || event["data"]?[$0] == "[erased]" }
        let shown = reveal && copiesPersonalData ? opened?.revealedWorker : nil
        shownWorker = shown
        let kept = entry.rowColumns.enumerated().filter { shown != nil || !personal.contains(String($0.element.split(separator: ".")[0])) }
        let row = entry.row(of: event)
        self.stored = stored
        self.event = event
        self.entry = entry
        columns = kept.map(\.element)
        recorded = kept.map { row[$0.offset] }
    }
}
