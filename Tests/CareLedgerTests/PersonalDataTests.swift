@testable import CareLedger
import Crypto
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

private typealias F = Fixtures

/// SPEC section 6 in process: encryption at the door, erasure that leaves no key in any file,
/// the master key's checks, and the access log's chain.
@Suite struct PersonalDataTests {
    /// A ledger with a master key, the base world, and two workers with personal data.
    final class Setup {
        let test: TestLedger
        let master = MasterKey.generate()
        var ledger: Ledger { test.ledger }

        init() throws {
            test = try TestLedger(masterKey: master)
            try append([
                F.event("WorkerRegistered", ["workerRef": "W-7", "route": "displaced", "nationality": "NG", "laCode": "E08000026",
                                             "pii": ["givenName": "Adaeze", "familyName": "Plaintextova", "email": "adaeze@example.org"]]),
                F.event("WorkerRegistered", ["workerRef": "W-8", "route": "displaced", "nationality": "IN", "laCode": "E08000025",
                                             "pii": ["givenName": "Kavya", "familyName": "Keepsakeindi"]]),
                F.event("SupportProvided", ["caseId": "C-1", "partnerId": "PT-2", "kind": "housing", "notes": "Sleeping at a friend's in Notesworth"]),
            ])
        }

        @discardableResult
        func append(_ events: [JSONValue]) throws -> AppendResult {
            try ledger.append(body: Array(F.ndjson(events).utf8))
        }

        /// The served form of every event, as `view` shows it.
        func read(_ view: PersonalDataView) throws -> String {
            var lines: [String] = []
            try ledger.readEvents(EventFilter()) { lines.append(String(decoding: try ledger.served($0, view: view).json, as: UTF8.self)) }
            return lines.joined(separator: "\n")
        }

        /// Every file under the data folder that holds `needle`.
        func filesHolding(_ needle: [UInt8]) throws -> [String] {
            let root = test.folder.path
            let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
            return files.filter { name in
                guard let data = FileManager.default.contents(atPath: root + "/" + name) else { return false }
                return Array(data).firstRange(of: needle) != nil
            }
        }
    }

    static let plaintexts = ["Plaintextova", "Keepsakeindi", "Notesworth", "adaeze@example.org"]

    @Test func personalDataIsStoredOnlyAsCiphertext() throws {
        let setup = try Setup()
        for text in Self.plaintexts { #expect(try setup.filesHolding(Array(text.utf8)).isEmpty, "\(text) is in a file") }
        let stored = try setup.read(.stored)
        #expect(stored.contains(#""pii":{"ciphertext":""#) && stored.contains(#""notes":{"ciphertext":""#))
        let redacted = try setup.read(.redacted)
        #expect(redacted.contains(#""pii":"[redacted]""#) && redacted.contains(#""notes":"[redacted]""#))
        let revealed = try setup.read(.revealed)
        #expect(revealed.contains(#""pii":{"email":"adaeze@example.org","familyName":"Plaintextova","givenName":"Adaeze"}"#))
        #expect(revealed.contains(#""notes":"Sleeping at a friend's in Notesworth""#))
        #expect(try setup.ledger.verify().firstBadSeq == nil)
    }

    @Test func erasureDestroysTheKeyEverywhereAndLeavesTheOthers() throws {
        let setup = try Setup()
        let key = try #require(try setup.ledger.vault.dataKey(of: "W-7")).withUnsafeBytes { Array($0) }
        let wrappedText = try #require(try KeyStore.load(path: setup.ledger.vault.path).wrapped["W-7"])
        let wrapped = Array(try #require(Data(base64Encoded: wrappedText)))
        let casesKey = try #require(try setup.ledger.vault.dataKey(of: "W-1")).withUnsafeBytes { Array($0) }  // the notes' worker
        let before = try setup.ledger.head()

        try setup.ledger.erase(worker: "W-7", request: "DSR-2025-001", actor: "test")
        try setup.ledger.erase(worker: "W-1", request: "DSR-2025-002", actor: "test")

        for secret in [key, wrapped, casesKey, Array(wrappedText.utf8)] {
            #expect(try setup.filesHolding(secret).isEmpty, "a destroyed key's bytes are still in a file")
        }
        for text in Self.plaintexts { #expect(try setup.filesHolding(Array(text.utf8)).isEmpty) }
        let revealed = try setup.read(.revealed)
        #expect(revealed.contains(#""pii":"[erased]""#) && revealed.contains(#""notes":"[erased]""#))
        #expect(revealed.contains("Keepsakeindi"), "another worker's personal data stays readable")
        #expect(try setup.read(.redacted).contains(#""pii":"[erased]""#))
        let verification = try setup.ledger.verify()
        #expect(verification.firstBadSeq == nil && verification.head.seq.rawValue == before.seq.rawValue + 2)

        // No personal data is recorded for an erased worker again, and an erasure is final.
        let again = F.event("SupportProvided", ["caseId": "C-1", "partnerId": "PT-2", "kind": "food", "notes": "More notes"])
        #expect(try setup.test.refusal([again]).rule.contains("was erased"))
        #expect(try setup.test.refusal([F.event("PersonalDataErased", ["workerRef": "W-7", "requestReference": "DSR-3"])]).rule.contains("already erased"))
    }

    @Test func aRefusedBatchMakesNoKey() throws {
        let setup = try Setup()
        let bad = F.setting(F.examples["WorkerArrived"]!, data: "workerRef", to: "W-NOBODY")
        let newWorker = F.event("WorkerRegistered", ["workerRef": "W-9", "route": "displaced", "nationality": "NG", "laCode": "E08000026", "pii": ["givenName": "Ngozi"]])
        _ = try setup.test.refusal([newWorker, bad])
        #expect(try KeyStore.load(path: setup.ledger.vault.path).wrapped["W-9"] == nil)
    }

    @Test func aReSentEventIsComparedByItsPlaintext() throws {
        let setup = try Setup()
        let id = "0e9c0c6e-8f4b-4a53-9d1e-2f0b7c3d4e51"
        let event = F.event("WorkerRegistered", ["workerRef": "W-20", "route": "displaced", "nationality": "NG", "laCode": "E08000026", "pii": ["givenName": "Chidi"]], id: id)
        let first = try setup.append([event])
        let second = try setup.append([event])
        #expect(second.positions[0].wasDuplicate && second.positions[0].seq == first.positions[0].seq)
        let changed = F.event("WorkerRegistered", ["workerRef": "W-20", "route": "displaced", "nationality": "NG", "laCode": "E08000026", "pii": ["givenName": "Chido"]], id: id)
        let refused = #expect(throws: LedgerError.self) { try setup.append([changed]) }
        // The refusal says what differs, and never shows personal data doing so.
        #expect(refused?.rule.contains("with different content (its personal data differs (not shown))") == true, "\(refused?.rule ?? "")")
        #expect(refused.map { !$0.rule.contains("Chid") } == true)
        let unsent = F.event("WorkerRegistered", ["workerRef": "W-20", "route": "displaced", "nationality": "NG", "laCode": "E08000026"], id: id)
        let withoutPII = #expect(throws: LedgerError.self) { try setup.append([unsent]) }
        #expect(withoutPII?.rule.contains("(its personal data differs (not shown))") == true, "not even its ciphertext: \(withoutPII?.rule ?? "")")
        let otherField = F.event("WorkerRegistered", ["workerRef": "W-20", "route": "displaced", "nationality": "GH", "laCode": "E08000026", "pii": ["givenName": "Chidi"]], id: id)
        let named = #expect(throws: LedgerError.self) { try setup.append([otherField]) }
        #expect(named?.rule.contains(#"(/data/nationality: stored "NG", sent "GH")"#) == true, "\(named?.rule ?? "")")
    }

    @Test func aWrongOrMissingMasterKeyIsAClearError() throws {
        let setup = try Setup()
        let wrong = MasterKey.generate()
        let error = try #require(throws: LedgerError.self) { try PersonalDataVault(folder: setup.test.folder.path, masterKey: wrong) }
        #expect(error.rule.contains(wrong.id) && error.rule.contains(setup.master.id))
        let keyless = try PersonalDataVault(folder: setup.test.folder.path, masterKey: nil)
        let missing = try #require(throws: LedgerError.self) { try keyless.dataKey(of: "W-7") }
        #expect(missing.rule.contains("needs the master key"))
    }

    @Test func rotationRewrapsEveryKeyAndRetiresTheOldMasterKey() throws {
        let setup = try Setup()
        let key = try #require(try setup.ledger.vault.dataKey(of: "W-8")).withUnsafeBytes { Array($0) }
        let fresh = MasterKey.generate()
        #expect(try setup.ledger.rotateMasterKey(to: fresh) == 3)
        #expect(throws: LedgerError.self) { try PersonalDataVault(folder: setup.test.folder.path, masterKey: setup.master) }
        let rotated = try PersonalDataVault(folder: setup.test.folder.path, masterKey: fresh)
        #expect(try #require(try rotated.dataKey(of: "W-8")).withUnsafeBytes { Array($0) } == key)
    }

    @Test func theAccessLogIsAHashChain() throws {
        let setup = try Setup()
        do {
            let log = try AccessLog(dataFolder: setup.test.folder.path)
            try log.record(who: "token:case-team", via: "GET /v1/events", reveals: ["W-7": [Seq(9)], "W-8": [Seq(10)]])
            try log.record(who: "os:alice", via: "careledger read --reveal", reveals: ["W-7": [Seq(9)]])
            #expect(try log.list(worker: "W-7").map { $0.json["who"]?.stringValue } == ["token:case-team", "os:alice"])
            #expect(try log.verify().firstBadSeq == nil && log.verify().entries == 3)
        }

        // Changing a byte of an entry inside the LMDB file breaks the chain at that entry.
        let file = AccessLog.folder(in: setup.test.folder.path) + "/data.mdb"
        var bytes = Array(try #require(FileManager.default.contents(atPath: file)))
        let at = try #require(bytes.firstRange(of: Array("os:alice".utf8))).lowerBound
        bytes[at + 3] = UInt8(ascii: "b")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect(try AccessLog(dataFolder: setup.test.folder.path).verify().firstBadSeq == 3)
    }
}

