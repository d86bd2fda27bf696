public import CareLedger
public import ProjectionKit
internal import LedgerJSON

extension Timeline {
    typealias Tag = TimelinesProjection.Tag

    /// The timeline of `id`, as known at `view.knownAt` (there is no as-of). Limited to
    /// organisational events when `organisationalOnly` (the board's view of providers and partners).
    /// - Throws: `notFound` when no event about `id` is known then.
    public static func query(
        _ reader: ProjectionReader, log: LogSnapshot, kind: TimelineKind, id: String, view: Viewpoint, knownAt: Instant,
        organisationalOnly: Bool = false
    ) throws -> Timeline {
        let name = TimelinesProjection().name
        func members(_ prefix: String, _ id: String) throws -> [Fact] {
            var facts: [Fact] = []
            try reader.scan(name, prefix: RecordKey.members(prefix, id)) { _, record in
                facts += record
                return true
            }
            return facts
        }
        func stream(_ name: String) throws -> [Seq] {
            guard let stream = StreamID(name) else { return [] }
            return try log.seqs(inStream: stream)
        }
        var seqs: [Seq] = []
        switch kind {
        case .worker:
            seqs += try stream("worker-\(id)")
            let cases = try members("workerCase", id).map { $0[0] }
            var concerns = try members("workerConcern", id).map { $0[0] }
            for caseId in cases {
                seqs += try stream("case-\(caseId)")
                concerns += try members("caseConcern", caseId).map { $0[0] }
            }
            for concern in Set(concerns) { seqs += try stream("concern-\(concern)") }
        case .case:
            seqs += try stream("case-\(id)")
            for concern in Set(try members("caseConcern", id).map { $0[0] }) { seqs += try stream("concern-\(concern)") }
        case .provider, .partner:
            seqs += try stream("\(kind.rawValue)-\(id)")
            seqs += try members(kind.rawValue, id).map(\.seq)
        }
        var entries: [TimelineEntry] = []
        var document = JSONDocument()
        for seq in Set(seqs) where seq <= view.knownAt {
            let entry = try TimelineEntry.read(seq, from: log, view: view, document: &document, ownStream: "\(kind.rawValue)-\(id)")
            if organisationalOnly && !TimelinesProjection.organisational.contains(entry.type) { continue }
            entries.append(entry)
        }
        guard !entries.isEmpty else {
            let meant = try log.likelyMeant(id, kind: kind.rawValue, upTo: view.knownAt)
            throw LedgerError(.notFound, "no events about \(kind.rawValue) \(id) are known at \(knownAt)\(meant?.hint ?? "")")
        }
        entries.sort { ($0.occurredOn, $0.seq) < ($1.occurredOn, $1.seq) }
        return Timeline(kind: kind, id: id, knownAt: knownAt, entries: entries)
    }
}

extension TimelineEntry {
    /// The error when the read models name an event the log does not hold.
    static func missing(_ seq: Seq) -> LedgerError {
        LedgerError(.storage, "the read models name seq \(seq), which the log does not hold: rebuild them")
    }

    /// The entry for the stored event at `seq`: its summary is made from its `data`. `document`
    /// is a parse buffer the caller reuses across entries; only `data` becomes a value.
    ///
    /// An event of another stream than the timeline's own (`ownStream`) is told apart by that
    /// stream's id, unless its summary names it already: in a provider's timeline each offer and
    /// certificate is about some worker (`W-00123: Certificate of sponsorship assigned by
    /// P-001`), in a partner's or a worker's each support episode is on some case.
    static func read(_ seq: Seq, from log: LogSnapshot, view: Viewpoint, document: inout JSONDocument, ownStream: String) throws -> TimelineEntry {
        guard let bytes = try log.canonicalBytes(at: seq) else {
            throw missing(seq)
        }
        do { try document.parse(bytes) } catch {
            throw LedgerError(.verificationFailed, "the stored event at seq \(seq) is not JSON: \(error)")
        }
        func text(_ name: String) -> String? {
            document.member(document.root, named: name).flatMap { document.kind($0) == .string ? document.string($0) : nil }
        }
        guard let type = text("type").flatMap(EventType.init(rawValue:)),
              let occurredOn = text("occurredOn").flatMap(LocalDate.init),
              let recordedAt = text("recordedAt").flatMap(Instant.init(rfc3339:)) else {
            throw LedgerError(.verificationFailed, "the stored event at seq \(seq) lacks its type, occurredOn or recordedAt")
        }
        let data = document.member(document.root, named: "data").map { JSONValue(document, at: $0) } ?? .object([])
        let retractedAt = try log.retraction(of: seq)
        var organisation: (key: String, id: String)?
        if let provider = data["providerId"]?.stringValue, TimelinesProjection.organisational.contains(type) { organisation = ("providerId", provider) }
        if let partner = data["partnerId"]?.stringValue, TimelinesProjection.organisational.contains(type) { organisation = ("partnerId", partner) }
        let names = try Self.namedEvent(type, data: data, corrects: Self.metaText("corrects", in: document), in: log)
        var summary = Self.summary(type, data: data, naming: names)
        if let stream = text("stream"), stream != ownStream, let dash = stream.firstIndex(of: "-") {
            let subject = String(stream[stream.index(after: dash)...])
            if !EventSummary.names(subject, in: summary) { summary = "\(subject): \(summary)" }
        }
        return TimelineEntry(seq: seq, occurredOn: occurredOn, recordedAt: recordedAt, type: type,
                             summary: summary,
                             retractedBy: retractedAt.flatMap { $0 <= view.knownAt ? $0 : nil }, organisation: organisation, names: names)
    }

    /// The event a retraction took back, or a right fact (its `meta.corrects`) corrects, by the
    /// seq a timeline shows: the event itself names only its id.
    static func namedEvent(_ type: EventType, data: JSONValue, corrects: String?, in log: LogSnapshot) throws -> TimelineEntry.NamedEvent? {
        func seq(of id: String?) throws -> Seq? { try id.flatMap(EventID.init).flatMap { try log.seq(of: $0) } }
        if type == .eventRetracted { return try seq(of: data["targetEventId"]?.stringValue).map { .retracts($0) } }
        return try seq(of: corrects).map { .corrects($0) }
    }

    /// The summary of an event in words, other events named by seq, not by id: a retraction the
    /// seq it took back (`Retracted seq 602: Wrong date`), a right fact the seq it corrects
    /// (`… (corrects seq 602)`), so that a reader finds the three rows of a correction without
    /// matching UUIDs by eye.
    static func summary(_ type: EventType, data: JSONValue, naming names: TimelineEntry.NamedEvent?) -> String {
        switch names {
        case .retracts(let target)?: "Retracted seq \(target): \(data["reason"]?.stringValue ?? "")"
        case .corrects(let corrected)?: "\(EventSummary.of(type, data: data)) (corrects seq \(corrected))"
        case nil: EventSummary.of(type, data: data)
        }
    }

    /// The text of `meta.name` of the event parsed into `document`, if it has one.
    private static func metaText(_ name: String, in document: JSONDocument) -> String? {
        guard let meta = document.member(document.root, named: "meta"), let member = document.member(meta, named: name),
              document.kind(member) == .string else { return nil }
        return document.string(member)
    }
}
