@testable import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

private typealias F = Fixtures

/// Audit packs (issue 5): written from a ledger, verified with nothing but the folder.
@Suite struct AuditPackTests {
    /// A ledger with personal data, a second worker, an erasure after the first worker's events.
    static func ledger() throws -> PersonalDataTests.Setup {
        let setup = try PersonalDataTests.Setup()
        try setup.append([
            F.event("CaseOpened", ["caseId": "C-8", "workerRef": "W-8", "caseType": "replacement", "channel": "ukviSignpost", "ownerPartnerId": "PT-1"], on: "2024-06-01"),
            F.event("SafeguardingConcernRaised", ["concernId": "K-1", "caseId": "C-8", "indicators": ["fees"], "referredTo": ["glaa"]], on: "2024-06-02"),
            F.event("WorkerArrived", ["workerRef": "W-1"], on: "2024-06-03"),
        ])
        try setup.ledger.erase(worker: "W-7", request: "DSR-1", actor: "test")
        return setup
    }

    static func write(_ setup: PersonalDataTests.Setup, _ selection: AuditSelection, to folder: String) throws -> AuditPack.Summary {
        try AuditPack.write(ledger: setup.ledger, selection: selection, to: folder, createdBy: "test") { head in
            (.object([("note", .string("figures known at \(head.seq)"))]), .object([("caseload", 3)]))
        }
    }

    @Test func aWorkersPackHoldsItsCasesAndConcernsAndVerifiesOffline() throws {
        let setup = try Self.ledger()
        let out = TemporaryFolder("pack")
        let folder = out.file("W-8")
        let summary = try Self.write(setup, .worker("W-8"), to: folder)
        let types = try String(contentsOfFile: folder + "/events.ndjson", encoding: .utf8).split(separator: "\n")
            .map { try JSONValue(parsing: String($0))["type"]?.stringValue ?? "" }
        #expect(types == ["WorkerRegistered", "CaseOpened", "SafeguardingConcernRaised"])
        #expect(summary.events == 3 && summary.chainFrom == Seq(10))
        let report = try AuditPack.verify(folder: folder, digest: PublishedDigest(summary.head))
        #expect(report.events == 3 && report.head.hash == summary.head.hash)
        // No personal data in plaintext leaves in a pack.
        for name in ["events.ndjson", "chain.ndjson", "figures.json", "manifest.json"] {
            #expect(!(try String(contentsOfFile: folder + "/" + name, encoding: .utf8)).contains("Keepsakeindi"))
        }
    }

    /// Changing any single byte of any file of a pack makes verification fail.
    /// A worker with no events is refused, as nothing to pack; typed in small letters, the
    /// worker meant is named.
    @Test func aWorkerWithNoEventsIsNamedAsSuch() throws {
        let setup = try Self.ledger()
        let out = TemporaryFolder("pack")
        let missing = #expect(throws: LedgerError.self) { try Self.write(setup, .worker("W-404"), to: out.file("a")) }
        #expect(missing?.code == .notFound && missing?.rule == "no event belongs to worker W-404: there is nothing to pack", "\(missing?.rule ?? "")")
        let lower = #expect(throws: LedgerError.self) { try Self.write(setup, .worker("w-8"), to: out.file("b")) }
        #expect(lower?.rule == "no event belongs to worker w-8 (did you mean W-8? ids are case-sensitive): there is nothing to pack", "\(lower?.rule ?? "")")
        #expect(!FileManager.default.fileExists(atPath: out.file("a")) && !FileManager.default.fileExists(atPath: out.file("b")))
    }

    @Test func everyChangedByteIsDetected() throws {
        let setup = try Self.ledger()
        let out = TemporaryFolder("pack")
        let folder = out.file("period")
        _ = try Self.write(setup, .period(try Period("2024-06")), to: folder)
        _ = try AuditPack.verify(folder: folder)
        var checked = 0
        for name in ["events.ndjson", "chain.ndjson", "figures.json", "manifest.json"] {
            let path = folder + "/" + name
            let original = Array(try #require(FileManager.default.contents(atPath: path)))
            for index in original.indices {
                var changed = original
                changed[index] ^= 0x01
                try Data(changed).write(to: URL(fileURLWithPath: path))
                #expect(throws: LedgerError.self, "\(name) byte \(index)") { try AuditPack.verify(folder: folder) }
                checked += 1
            }
            try Data(original).write(to: URL(fileURLWithPath: path))
        }
        #expect(checked > 3000)
        _ = try AuditPack.verify(folder: folder)
        // A dropped event, even with every hash in the manifest recomputed, breaks the selection.
        let events = folder + "/events.ndjson"
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        let shorter = Array((lines.dropFirst().joined(separator: "\n") + "\n").utf8)
        try Data(shorter).write(to: URL(fileURLWithPath: events))
        try Self.forgeManifest(of: folder, file: "events.ndjson", holding: shorter, events: lines.count - 1)
        let error = try #require(throws: LedgerError.self) { try AuditPack.verify(folder: folder) }
        #expect(error.rule.contains("events.ndjson is not exactly the chain's events"))
    }

    /// A pack whose line ends a copy turned into CR LF (mail, a Windows share) fails as altered,
    /// saying how it was altered, so that the auditor can ask for a byte-for-byte copy.
    @Test func lineEndsTurnedToCRLFAreNamed() throws {
        let setup = try Self.ledger()
        let folder = TemporaryFolder("pack").file("period")
        _ = try Self.write(setup, .period(try Period("2024-06")), to: folder)
        func turn(_ name: String) throws {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            try text.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        try turn("chain.ndjson")
        let chain = try #require(throws: LedgerError.self) { try AuditPack.verify(folder: folder) }
        #expect(chain.rule.hasPrefix("chain.ndjson does not have the SHA-256 the manifest gives: it was altered (its lines end in CR LF"), "\(chain.rule)")
        try turn("manifest.json")
        let manifest = try #require(throws: LedgerError.self) { try AuditPack.verify(folder: folder) }
        #expect(manifest.rule.hasPrefix("manifest.json is not the canonical JSON the pack was written with: it was altered (its lines end in CR LF"), "\(manifest.rule)")
    }

    /// A forger's pack: `file` holds `bytes`, and the manifest is rewritten to match, its hash
    /// recomputed, as anyone can who has no published digest to answer to.
    static func forgeManifest(of folder: String, file: String, holding bytes: [UInt8], events: Int? = nil) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + file))
        let manifestPath = folder + "/manifest.json"
        var manifest = try #require(try JSONValue(parsing: String(contentsOfFile: manifestPath, encoding: .utf8)).objectValue)
        manifest = manifest.filter { $0.0 != "manifestHash" }.map { name, value in
            switch name {
            case "events": (name, events.map { .integer(Int64($0)) } ?? value)
            case "files": (name, .object((value.objectValue ?? []).map { $0.0 == file ? ($0.0, .string(AuditPack.sha256(bytes))) : $0 }))
            default: (name, value)
            }
        }
        manifest.append(("manifestHash", .string(AuditPack.sha256(JSONValue.object(manifest).canonicalBytes))))
        try Data(JSONValue.object(manifest).canonicalBytes + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: manifestPath))
    }

    /// The chain is read a line at a time, never whole; a line longer than any event (here
    /// 2 MiB with no line feed, in a forged pack whose manifest matches it) is refused when it
    /// passes 1 MiB, rather than gathered until the memory runs out.
    @Test func aLineLongerThanAnyEventIsRefusedBeforeItIsGathered() throws {
        let setup = try Self.ledger()
        let folder = TemporaryFolder("pack").file("period")
        _ = try Self.write(setup, .period(try Period("2024-06")), to: folder)
        let chain = Array(try #require(FileManager.default.contents(atPath: folder + "/chain.ndjson")))
        try Self.forgeManifest(of: folder, file: "chain.ndjson", holding: [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20) + [UInt8(ascii: "\n")] + chain)
        let error = try #require(throws: LedgerError.self) { try AuditPack.verify(folder: folder) }
        #expect(error.rule == "chain.ndjson line 1 is longer than any event a pack holds (1 MiB)", "\(error.rule)")
    }

    @Test func aPublishedDigestOutsideOrOffTheChainFails() throws {
        let setup = try Self.ledger()
        let out = TemporaryFolder("pack")
        let folder = out.file("W-8")
        let summary = try Self.write(setup, .worker("W-8"), to: folder)
        let earlier = try #require(try setup.ledger.event(at: Seq(12)))
        _ = try AuditPack.verify(folder: folder, digest: PublishedDigest(seq: earlier.seq, hash: earlier.hash))
        #expect(throws: LedgerError.self) { try AuditPack.verify(folder: folder, digest: PublishedDigest(seq: earlier.seq, hash: summary.head.hash)) }
        let before = try #require(try setup.ledger.event(at: Seq(2)))
        let error = try #require(throws: LedgerError.self) { try AuditPack.verify(folder: folder, digest: PublishedDigest(seq: before.seq, hash: before.hash)) }
        #expect(error.rule.contains("cannot check a digest at seq 2: its chain runs from seq \(summary.chainFrom) to \(summary.head.seq), resting on the hash of seq \(summary.chainFrom.rawValue - 1)"), "\(error.rule)")
    }
}
