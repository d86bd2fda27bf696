internal import LedgerJSON

/// Which events an audit pack holds. The writer and the offline verifier decide membership with
/// this same code, reading the events in seq order, so a genuine pack always verifies and a pack
/// that drops or adds an event does not.
public enum AuditSelection: Sendable, Equatable {
    /// A worker's events: its own stream, its cases' streams and the concerns naming it or its
    /// cases (as SPEC 5.4 draws a worker's timeline, retractions included by stream).
    case worker(String)
    /// Every event whose `occurredOn` lies in the period.
    case period(Period)

    /// The selection as the manifest records it.
    var json: JSONValue {
        switch self {
        case .worker(let worker): .object([("worker", .string(worker))])
        case .period(let period): .object([("period", .string(period.description)), ("from", .string(period.from.description)), ("to", .string(period.to.description))])
        }
    }

    init?(json: JSONValue) {
        if let worker = json["worker"]?.stringValue {
            self = .worker(worker)
        } else if let text = json["period"]?.stringValue, let period = try? Period(text) {
            self = .period(period)
        } else {
            return nil
        }
    }

    /// Decides, event by event in seq order, whether each belongs to the selection.
    struct Reader {
        let selection: AuditSelection
        private var streams: Set<String> = []
        private var cases: Set<String> = []

        init(_ selection: AuditSelection) {
            self.selection = selection
            if case .worker(let worker) = selection { streams.insert("worker-\(worker)") }
        }

        /// Whether the stored event `document` (its root an event object) belongs.
        mutating func includes(_ document: JSONDocument) -> Bool {
            func member(_ index: Int?, _ name: String) -> String? {
                index.flatMap { document.member($0, named: name) }.flatMap { document.kind($0) == .string ? document.string($0) : nil }
            }
            let root = document.root
            switch selection {
            case .period(let period):
                return member(root, "occurredOn").flatMap(LocalDate.init).map(period.contains) ?? false
            case .worker(let worker):
                let data = document.member(root, named: "data")
                let type = member(root, "type")
                if type == "CaseOpened", member(data, "workerRef") == worker, let caseId = member(data, "caseId") {
                    cases.insert(caseId)
                    streams.insert("case-\(caseId)")
                }
                if type == "SafeguardingConcernRaised", let concern = member(data, "concernId"),
                   member(data, "workerRef") == worker || member(data, "caseId").map(cases.contains) == true {
                    streams.insert("concern-\(concern)")
                }
                return member(root, "stream").map(streams.contains) ?? false
            }
        }
    }
}
