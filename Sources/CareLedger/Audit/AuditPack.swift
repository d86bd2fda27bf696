internal import Crypto
public import LedgerJSON
internal import Foundation

/// An audit pack (issue 5): a folder an auditor can check offline, without the ledger.
///
/// | file | what |
/// |---|---|
/// | `events.ndjson` | the selected events, stored form (personal data as ciphertext), seq order |
/// | `chain.ndjson` | every stored event from the first selected one to the head, so the chain can be recomputed from the hash before it up to the head digest |
/// | `figures.json` | read-model figures, with the seq range and projection versions that produced them, and the schemas' SHA-256 |
/// | `manifest.json` | the selection, the head digest, the chain's ends, each file's SHA-256, and `manifestHash` over the rest of the manifest |
///
/// Every byte is covered: a file's bytes by its SHA-256, the manifest by its own hash and by
/// being canonical JSON, the events by the chain. Against a forger who rewrites everything
/// consistently, the anchor is the head digest published earlier (`audit-pack verify --digest`).
public enum AuditPack {
    static let format = "careledger-audit-pack/1"
    static let files = ["events.ndjson", "chain.ndjson", "figures.json"]
    /// The file that names and hashes the others, written last.
    static let manifestFile = "manifest.json"

    /// What was written.
    public struct Summary: Sendable {
        public let events: Int
        public let chainFrom: Seq
        public let head: LogHead
        public let manifestHash: String
    }

    /// How often a pack's writer or verifier reports how far it is: every this many events.
    static let progressStep: UInt64 = 4096

    /// Writes the pack of `selection` into `folder` (new or empty). `figures` computes the
    /// read-model figures known at the head it is given; the pack records that head. `progress`
    /// hears the seq reached and the head as the log is read, every ``progressStep`` events and
    /// at the end: a period's pack reads all of a long log, a worker's from the worker's first.
    public static func write(
        ledger: Ledger, selection: AuditSelection, to folder: String, createdBy: String,
        progress: ((_ reached: Seq, _ head: Seq) -> Void)? = nil,
        figures: (LogHead) throws -> (figures: JSONValue, projections: JSONValue)
    ) throws -> Summary {
        // Staged and moved into place once whole, the manifest last: a pack that fails or is
        // interrupted leaves nothing an auditor could take for one.
        let staged = try StagedFolder(for: folder, refusal: "write the pack into a new folder") { staging in
            (files + [manifestFile]).flatMap { name in [staging + "/" + name, staging + "/" + name + ".tmp-\(getpid())"] }
        }
        defer { staged.discard() }
        let head = try ledger.head()
        guard head.seq != .zero, let headAt = head.recordedAt else { throw LedgerError(.notFound, "the ledger is empty: there is nothing to pack") }

        // The events and the chain are written as they are read, never held: a period early in
        // a long log has a chain that runs to its head.
        let (eventsFile, chainFile) = try staged.writing { () throws(LedgerError) in
            (try PackFileWriter(path: staged.path + "/events.ndjson"), try PackFileWriter(path: staged.path + "/chain.ndjson"))
        }
        // A worker's events begin with its own stream's first: every other event that names the
        // worker, or a case or concern of its, comes after its registration (SPEC 3, check 3).
        // So a worker's pack reads the log from there, where a period's must read all of it.
        var start = Seq(1)
        if case .worker(let worker) = selection, let stream = StreamID("worker-" + worker) {
            _ = try ledger.readEvents(EventFilter(stream: stream), limit: 1) { start = $0.seq }
        }
        let toRead = start <= head.seq ? Int(head.seq.rawValue - start.rawValue + 1) : 0
        var reader = AuditSelection.Reader(selection)
        var first: Seq?
        var count = 0
        var document = JSONDocument()
        try staged.writing { () throws(LedgerError) in
            _ = try ledger.readEvents(EventFilter(from: start), limit: toRead) { event in
                if let progress, event.seq.rawValue % progressStep == 0 || event.seq == head.seq { progress(event.seq, head.seq) }
                try document.parse(event.canonicalBytes)
                let included = reader.includes(document)
                if included && first == nil { first = event.seq }
                guard first != nil else { return }
                let served = event.servedJSON
                try chainFile.append(line: served)
                if included {
                    try eventsFile.append(line: served)
                    count += 1
                }
            }
        }
        guard let first else {
            var meant: EntityID.Meant?
            if case .worker(let worker) = selection { meant = try ledger.withSnapshot { try $0.likelyMeant(worker, kind: "worker") } }
            throw LedgerError(.notFound, "no event belongs to \(describe(selection))\(meant?.hint ?? ""): there is nothing to pack")
        }
        let previous = first.rawValue == 1 ? EventHash.zero : try ledger.event(at: Seq(first.rawValue - 1))!.hash

        let (values, projections) = try figures(head)
        let figuresFile: JSONValue = .object([
            ("seqRange", .object([("from", 1), ("to", .integer(Int64(head.seq.rawValue)))])),
            ("knownAt", .string(headAt.description)),
            ("projections", projections),
            // The schemas the events were checked by, as `careledger --version` prints them.
            ("schemas", .string(EventCatalogue.schemaFingerprint)),
            ("figures", values),
        ])
        let figuresBytes = Array(figuresFile.compactText.utf8) + [UInt8(ascii: "\n")]
        // What `audit-pack verify` reads whole, and no more: a pack it would refuse is not written.
        if Int64(figuresBytes.count) > largestFile {
            throw LedgerError(.tooLarge, "the pack's figures.json would be \(figuresBytes.count >> 20) MiB, over the \(largestFile >> 20) MiB it may be: pack a shorter period")
        }
        var hashes: [String: String] = ["figures.json": sha256(figuresBytes)]
        try staged.writing { () throws(LedgerError) in
            hashes["events.ndjson"] = try eventsFile.finish()
            hashes["chain.ndjson"] = try chainFile.finish()
            try DurableFile.replace(staged.path + "/figures.json", with: figuresBytes, permissions: 0o644)
        }
        var manifest: [(String, JSONValue)] = [
            ("format", .string(format)),
            ("selection", selection.json),
            ("createdAt", .string(Instant.now().description)),
            ("createdBy", .string(createdBy)),
            ("head", .object(head.digestMembers + [("recordedAt", .string(headAt.description))])),
            ("chain", .object([("from", .integer(Int64(first.rawValue))), ("previousHash", .string(previous.description)),
                               ("to", .integer(Int64(head.seq.rawValue)))])),
            ("events", .integer(Int64(count))),
            ("files", .object(files.map { ($0, .string(hashes[$0]!)) })),
        ]
        let manifestHash = sha256(JSONValue.object(manifest).canonicalBytes)
        manifest.append(("manifestHash", .string(manifestHash)))

        try staged.writing { () throws(LedgerError) in
            try DurableFile.replace(staged.path + "/" + manifestFile, with: JSONValue.object(manifest).canonicalBytes + [UInt8(ascii: "\n")], permissions: 0o644)
        }
        try staged.finish(lastPart: manifestFile)
        return Summary(events: count, chainFrom: first, head: head, manifestHash: manifestHash)
    }

    static func describe(_ selection: AuditSelection) -> String {
        switch selection {
        case .worker(let worker): "worker \(worker)"
        case .period(let period): "period \(period)"
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String { EventHash(SHA256.hash(data: bytes)).description }
}
