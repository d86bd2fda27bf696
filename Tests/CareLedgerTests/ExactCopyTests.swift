@testable import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// A re-sent event that is byte for byte what was stored is recognised from the stored bytes,
/// without parsing them: the stream and version read there must be the ones the stored event
/// holds, and any change to what was written must make the test say nothing (the general
/// comparison then decides).
@Suite("Re-sent events recognised from the stored bytes")
struct ExactCopyTests {
    typealias F = Fixtures

    private let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/programme-sample.ndjson").standardized.path

    private func prepared(_ text: String) throws -> PreparedEvent {
        var preparer = EventPreparer(catalogue: .standard)
        let document = try JSONDocument(parsing: text)
        return try preparer.prepare(document, root: document.root, location: .line(1))
    }

    /// Each stored event with its stream and version, read the general way (parsed).
    private func storedEvents(_ ledger: Ledger) throws -> [(StoredEvent, stream: String, version: UInt64)] {
        var out: [(StoredEvent, stream: String, version: UInt64)] = []
        try ledger.readEvents(EventFilter()) { event in
            let document = try event.document()
            let stream = document.string(document.member(document.root, named: "stream")!)
            let version = document.integer(document.member(document.root, named: "streamVersion")!)!
            out.append((event, stream, UInt64(version)))
        }
        return out
    }

    @Test func everyEventOfTheSampleIsRecognisedAsWhatWasStored() throws {
        let ledger = try TestLedger(world: false)
        _ = try ledger.ledger.importNDJSON(path: sample)
        let lines = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n").map(String.init)
        let stored = try storedEvents(ledger.ledger)
        #expect(stored.count == 600 && lines.count == 600)
        for (line, (event, stream, version)) in zip(lines, stored) {
            let copy = event.exactCopy(of: try prepared(line))
            #expect(copy?.stream == stream && copy?.streamVersion == version, "seq \(event.seq)")
        }
    }

    @Test func anyChangeToWhatWasWrittenIsNotACopy() throws {
        let ledger = try TestLedger()
        let event = F.setting(F.setting(F.examples["WorkerArrived"]!, top: "id", to: "6f1c1f0e-0b7a-4b8e-9d1e-2a7c3e4f5a6b"),
                              top: "meta", to: ["actor": "staff:jk"])
        let withoutMeta = F.setting(F.setting(F.examples["WorkerArrived"]!, top: "id", to: "7a1c1f0e-0b7a-4b8e-9d1e-2a7c3e4f5a6b"), top: "meta", to: nil)
        try ledger.append([event, withoutMeta])
        let stored = try storedEvents(ledger.ledger).suffix(2)
        let (first, stream, version) = try #require(stored.first)
        let (second, _, secondVersion) = try #require(stored.last)
        // Unchanged, with or without meta: recognised.
        #expect(first.exactCopy(of: try prepared(event.compactText))?.streamVersion == version)
        #expect(first.exactCopy(of: try prepared(event.compactText))?.stream == stream)
        #expect(second.exactCopy(of: try prepared(withoutMeta.compactText))?.streamVersion == secondVersion)
        // Changed in data, occurredOn or meta, or given meta it was stored without: not a copy.
        for changed in [
            F.setting(event, data: "workerRef", to: "W-2"),
            F.setting(event, top: "occurredOn", to: "2024-05-02"),
            F.setting(event, top: "meta", to: ["actor": "staff:zz"]),
            F.setting(event, top: "meta", to: nil),
        ] {
            #expect(first.exactCopy(of: try prepared(changed.compactText)) == nil, "\(changed.compactText)")
        }
        #expect(second.exactCopy(of: try prepared(event.compactText)) == nil)
    }
}
