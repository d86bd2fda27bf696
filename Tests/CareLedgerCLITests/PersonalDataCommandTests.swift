import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

private typealias F = Fixtures

/// SPEC section 6 through the real binary: keys, encryption, reveal and its record, erasure,
/// rotation, backups and audit packs.
@Suite struct PersonalDataCommandTests {
    static let secrets = ["Marisolplain", "maria@example.org", "Notesworth"]

    /// A ledger with a master key and a worker (W-2) and a case note (on W-1's case) holding personal data.
    static func workspace() throws -> (CLIWorkspace, key: String) {
        let cli = try CLIWorkspace().initialised()
        let key = cli.folder.file("master.key")
        try cli.expect(0, ["keys", "init", "--master-key", key])
        try cli.expect(0, ["append", "-", "--master-key", key], input: F.ndjson(events))
        return (cli, key)
    }

    static var events: [JSONValue] {
        [
            F.event("WorkerRegistered", ["workerRef": "W-2", "route": "displaced", "nationality": "PH", "laCode": "E08000025",
                                         "pii": ["givenName": "Maria", "familyName": "Marisolplain", "email": "maria@example.org"]]),
            F.event("SupportProvided", ["caseId": "C-1", "partnerId": "PT-2", "kind": "housing", "notes": "Staying with family in Notesworth"]),
        ]
    }

    /// Every file under `folder` that holds `text`.
    static func files(in folder: String, holding text: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []).filter { name in
            FileManager.default.contents(atPath: folder + "/" + name).map { Array($0).firstRange(of: Array(text.utf8)) != nil } ?? false
        }
    }

    /// The chain covers personal data as its ciphertext, so verifying it needs no key: a damaged
    /// data-key file stops what needs the keys, not an auditor's verify or digest.
    @Test func aDamagedDataKeyFileDoesNotStopVerification() throws {
        let (cli, key) = try Self.workspace()
        let keys = cli.data + "/keys/data-keys.json"
        try Data("{\"damaged".utf8).write(to: URL(fileURLWithPath: keys))
        try cli.expect(0, ["verify", "--master-key", key])
        try cli.expect(0, ["digest", "--master-key", key])
        let stats = try cli.expect(5, ["stats", "--master-key", key])
        #expect(stats.standardError.contains("the data-key file \(keys) is damaged"))
        try cli.expect(5, ["read", "--reveal", "--stream", "worker-W-2", "--master-key", key])
    }

    /// Erasing a worker that never held personal data records the erasure (none is recorded for
    /// it again) and says that nothing was destroyed, rather than answering a data subject's
    /// request as if data had been.
    @Test func erasingAWorkerWithoutPersonalDataSaysSo() throws {
        let cli = try CLIWorkspace().initialised()
        let said = try cli.expect(0, ["erase", "W-1", "--request", "DSR-1"]).standardOutput
        #expect(said.hasPrefix("W-1 held no personal data (no data key): nothing was destroyed; PersonalDataErased at seq 9"), "\(said)")
        #expect(said.hasSuffix(", so none is recorded for it again.\n"))
    }

    /// A master key file that could not be written whole (here a file-size limit of 0, as a full
    /// disk refuses the write) is not left behind: an empty one would be refused, as holding no
    /// key, by the `keys init` that would make it.
    @Test func aKeyFileNotWrittenWholeIsNotLeftBehind() throws {
        let cli = try CLIWorkspace().initialised(withWorld: false)
        let key = cli.folder.file("master.key")
        let limited = try CareLedgerBinary.run(["keys", "init", "--master-key", key, "--data", cli.data],
                                               launcher: ["/bin/bash", "-c", #"trap '' XFSZ; ulimit -f 0; exec "$0" "$@""#])
        #expect(limited.status == 5 && limited.standardError.contains("cannot write \(key): File too large"), "\(limited.standardError)")
        #expect(!FileManager.default.fileExists(atPath: key), "a key file not written whole was left")
        try cli.expect(0, ["keys", "init", "--master-key", key])
        let empty = cli.folder.write("empty.key", "")
        #expect(try cli.expect(2, ["read", "--master-key", empty]).standardError.contains("the master key file \(empty) is empty: it holds no master key"))
    }

    @Test func keysEncryptionRevealAndErasure() throws {
        let cli = try CLIWorkspace().initialised()
        // The key is made outside the data folder, readable by its owner alone.
        let inside = try cli.expect(2, ["keys", "init", "--master-key", cli.data + "/master.key"])
        #expect(inside.standardError.contains("inside the data folder"))
        let key = cli.folder.file("master.key")
        try cli.expect(0, ["keys", "init", "--master-key", key])
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Without the key, personal data is refused with the way to get one; with it, stored sealed.
        let refused = try cli.expect(3, ["append", "-"], input: F.ndjson(Self.events))
        #expect(refused.standardError.contains("/data/pii") && refused.standardError.contains("careledger keys init"))
        try cli.expect(0, ["append", "-", "--master-key", key], input: F.ndjson(Self.events))
        for secret in Self.secrets { #expect(Self.files(in: cli.data, holding: secret).isEmpty, "\(secret) is stored in plaintext") }

        // Redacted by default, ciphertext with --stored, plaintext with --reveal (recorded first).
        let plain = try cli.expect(0, ["read"]).standardOutput
        #expect(plain.contains(#""pii":"[redacted]""#) && plain.contains(#""notes":"[redacted]""#))
        #expect(Self.secrets.allSatisfy { !plain.contains($0) })
        #expect(try cli.expect(0, ["read", "--stored"]).standardOutput.contains(#""pii":{"ciphertext":""#))
        let wrong = cli.folder.write("wrong.key", Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
        #expect(try cli.expect(2, ["read", "--reveal", "--master-key", wrong]).standardError.contains("is not this ledger's"))
        #expect(try cli.expect(0, ["access-log", "--json"]).standardOutput.isEmpty, "a refused reveal is not recorded")
        let revealed = try cli.expect(0, ["read", "--reveal", "--master-key", key, "--type", "WorkerRegistered"]).standardOutput
        #expect(revealed.contains("Marisolplain"))
        let entries = try cli.expect(0, ["access-log", "--json"]).standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(entries.count == 1 && entries[0]["workerRef"] == "W-2" && entries[0]["via"] == "careledger read --type WorkerRegistered --reveal")
        #expect(entries[0]["who"]?.stringValue?.hasPrefix("os:") == true)
        #expect(try cli.expect(0, ["access-log"]).standardOutput.contains("\n1 entry; chain head "), "one entry, in words")
        #expect(try cli.expect(0, ["access-log", "--worker", "W-2"]).standardOutput.contains("\n1 reveal of W-2 shown; the access log holds 1 entry; chain head "))
        // None for a worker is said in words, not as an empty table; in small letters, the worker meant is named.
        let none = try cli.expect(0, ["access-log", "--worker", "w-2"]).standardOutput
        #expect(none.hasPrefix("No reveals of worker w-2 are recorded (the access log holds 1 entry; chain head "), "\(none)")
        #expect(none.hasSuffix("\nDid you mean W-2? Ids are case-sensitive, and W-2 has 1 reveal.\n"), "\(none)")
        #expect(try cli.expect(0, ["access-log", "--worker", "W-002"]).standardOutput.hasSuffix("\nDid you mean W-2? Ids are compared as written, leading zeros included, and W-2 has 1 reveal.\n"))
        #expect(!(try cli.expect(0, ["access-log", "--worker", "W-1"]).standardOutput.contains("Did you mean")))

        // Erasure: the key goes, the chain and the read models' counts stay.
        let caseload = try cli.expect(0, ["query", "caseload", "--json", "--as-of", "2024-12-31"]).standardOutput
        let partners = try cli.expect(0, ["query", "partners", "--json", "--period", "2024-25"]).standardOutput
        #expect(try cli.expect(0, ["erase", "W-1", "--request", "DSR-2025-009"]).standardOutput.hasPrefix("Erased the personal data of W-1: its data key is destroyed; PersonalDataErased at seq "))
        // Refusals name the command's own arguments, not a line of input the user never wrote.
        let again = try cli.expect(3, ["erase", "W-1", "--request", "DSR-2025-009"]).standardError
        #expect(again.hasPrefix("careledger: cannot erase W-1: the personal data of worker W-1 was already erased"), "\(again)")
        #expect(try cli.expect(3, ["erase", "W-2", "--request", ""]).standardError.hasPrefix("careledger: --request: "))
        #expect(try cli.expect(0, ["query", "caseload", "--json", "--as-of", "2024-12-31"]).standardOutput.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression)
                == caseload.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression))
        #expect(try cli.expect(0, ["query", "partners", "--json", "--period", "2024-25"]).standardOutput.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression)
                == partners.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression))
        let after = try cli.expect(0, ["read", "--reveal", "--master-key", key]).standardOutput
        #expect(after.contains(#""notes":"[erased]""#) && after.contains("Marisolplain"), "W-1's notes are erased, W-2's pii is not")
        try cli.expect(0, ["verify"])
        let timeline = try cli.expect(0, ["timeline", "worker", "W-1", "--json"]).standardOutput
        #expect(timeline.contains("PersonalDataErased"))
        let stats = try JSONValue(parsing: try cli.expect(0, ["stats", "--json"]).standardOutput)["personalData"]
        #expect(stats?["workersWithKeys"] == 1 && stats?["erased"] == 1 && stats?["revealsRecorded"] == 2)
        let statsText = try cli.expect(0, ["stats"]).standardOutput
        #expect(statsText.contains("1 worker with a data key, 1 erased;") && statsText.contains("; 2 reveals recorded"), "\(statsText)")
        // Read models, the access log and the key file exist now: still no plaintext in any file.
        #expect(FileManager.default.fileExists(atPath: cli.data + "/projections/data.mdb"))
        for secret in Self.secrets { #expect(Self.files(in: cli.data, holding: secret).isEmpty, "\(secret) is in a file") }
    }

    /// Rectification (UK GDPR art. 16): a misspelt name is put right by retracting the
    /// registration and registering the worker again under the same workerRef, in one batch. The
    /// wrong value stays in the log as ciphertext, marked retracted, and goes with the worker's key.
    @Test func personalDataIsRectifiedByRegisteringAgain() throws {
        let (cli, key) = try Self.workspace()  // W-2 registered at seq 9
        let withoutKey = try cli.expect(3, ["retract", "9", "--reason", "Family name misspelt", "--mend", "pii.familyName=Marisolplaine"]).standardError
        #expect(withoutKey.contains("seq 9 carries personal data (pii), which a mended copy carries over only with the master key (--master-key; it is sealed again, not shown)"), "\(withoutKey)")

        // With the key, the rest of pii is copied and sealed again; nothing is shown, so no reveal is recorded.
        let mended = try cli.expect(0, ["retract", "9", "--reason", "Family name misspelt", "--mend", "pii.familyName=Marisolplaine", "--master-key", key]).standardOutput
        #expect(!mended.contains("Maria") && !mended.contains("Marisolplain"), "\(mended)")
        #expect(try cli.expect(0, ["access-log", "--json"]).standardOutput.isEmpty)
        #expect(Self.files(in: cli.data, holding: "Marisolplaine").isEmpty, "the right name is stored in plaintext")
        let revealed = try cli.expect(0, ["read", "--reveal", "--type", "WorkerRegistered", "--master-key", key, "--from", "9"]).standardOutput
        let events = try revealed.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(events.map { $0["data"]?["pii"]?["familyName"] } == ["Marisolplain", "Marisolplaine"], "\(revealed)")
        #expect(events.last?["data"]?["pii"]?["email"] == "maria@example.org" && events.last?["meta"]?["corrects"] == events.first?["id"], "\(revealed)")
        let timeline = try cli.expect(0, ["timeline", "worker", "W-2"]).standardOutput
        #expect(timeline.contains("Retracted seq 9: Family name misspelt") && timeline.contains("(corrects seq 9)"), "\(timeline)")

        // Erased, the right value and the wrong one go together: both were sealed under W-2's key.
        try cli.expect(0, ["erase", "W-2", "--request", "DSR-2025-031"])
        let erased = try cli.expect(0, ["read", "--reveal", "--type", "WorkerRegistered", "--master-key", key, "--from", "9"]).standardOutput
        #expect(erased.components(separatedBy: #""pii":"[erased]""#).count == 3, "\(erased)")
        let afterErasure = try cli.expect(3, ["retract", "12", "--reason", "Wrong council", "--mend", "laCode=E08000026", "--master-key", key]).standardError
        #expect(afterErasure.contains("the personal data (pii) of seq 12 was erased, and none is recorded for its worker again: give the right fact whole, without pii"), "\(afterErasure)")
        try cli.expect(0, ["verify"])
    }

    @Test func rotationBackupsAndAuditPacks() throws {
        let (cli, key) = try Self.workspace()
        // A backup holds the data keys (not the master key) and reads with it.
        let backup = cli.folder.file("backup")
        try cli.expect(0, ["backup", backup])
        #expect(try CareLedgerBinary.run(["read", "--reveal", "--data", backup, "--master-key", key]).standardOutput.contains("Marisolplain"))

        // Rotation: the new key reads, the old one is refused by name, here and in nothing newer.
        // A new key inside the data folder would travel with its backups: refused, nothing written.
        let inside = try cli.expect(2, ["keys", "rotate-master", "--master-key", key, "--new-master-key", cli.data + "/new.key"])
        #expect(inside.standardError.contains("inside the data folder"), "\(inside.standardError)")
        #expect(!FileManager.default.fileExists(atPath: cli.data + "/new.key"))
        #expect(try cli.expect(2, ["keys", "rotate-master", "--master-key", key, "--new-master-key", ""]).standardError.contains("--new-master-key was given an empty name"))
        #expect(try cli.expect(0, ["read", "--reveal", "--master-key", key]).standardOutput.contains("Marisolplain"), "a refused rotation changed the key")
        let fresh = cli.folder.file("new.key")
        try cli.expect(0, ["keys", "rotate-master", "--master-key", key, "--new-master-key", fresh])
        try cli.expect(2, ["read", "--reveal", "--master-key", key])
        #expect(try cli.expect(0, ["read", "--reveal", "--master-key", fresh]).standardOutput.contains("Marisolplain"))
        #expect(try CareLedgerBinary.run(["read", "--reveal", "--data", backup, "--master-key", fresh]).status == 2, "an earlier backup needs the old key")

        // An audit pack verifies offline, names a published digest, and fails on a changed byte.
        let digest = try cli.digest()
        let pack = cli.folder.file("pack")
        try cli.expect(0, ["audit-pack", "--worker", "W-2", "--out", pack])
        try FileManager.default.moveItem(atPath: cli.data, toPath: cli.folder.file("elsewhere"))
        #expect(try CareLedgerBinary.run(["audit-pack", "verify", pack, "--digest", digest]).status == 0)
        // --data is accepted as by every command (SPEC 7), though a pack needs no ledger.
        #expect(try cli.run(["audit-pack", "verify", pack]).status == 0)
        let packed = try String(contentsOfFile: pack + "/events.ndjson", encoding: .utf8)
        #expect(packed.contains("ciphertext") && !packed.contains("Marisolplain"))
        try packed.replacingOccurrences(of: "displaced", with: "Displaced").write(toFile: pack + "/events.ndjson", atomically: true, encoding: .utf8)
        let tampered = try CareLedgerBinary.run(["audit-pack", "verify", pack])
        #expect(tampered.status == 1 && tampered.standardError.contains("events.ndjson"))
    }

    /// Two processes appending new workers' personal data at once, a batch at a time: every key
    /// each of them makes survives the other's rewrites of the key file, so every worker reveals.
    @Test func concurrentWritersKeepEveryKey() throws {
        let (cli, key) = try Self.workspace()
        let writers = try ["A", "B"].map { prefix -> Process in
            for n in 1...25 {
                let event = F.event("WorkerRegistered", ["workerRef": .string("\(prefix)-\(n)"), "route": "displaced", "nationality": "IN",
                                                         "laCode": "E08000025", "pii": ["familyName": .string("Concurrent\(prefix)\(n)x")]])
                cli.folder.write("\(prefix)-\(n).json", event.compactText)
            }
            let script = "for n in $(seq 1 25); do \"$0\" append \"$1/\(prefix)-$n.json\" --data \"$2\" --master-key \"$3\" >/dev/null || exit 1; done"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, CareLedgerBinary.path, cli.folder.path, cli.data, key]
            try process.run()
            return process
        }
        for writer in writers {
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        let revealed = try cli.expect(0, ["read", "--type", "WorkerRegistered", "--reveal", "--master-key", key]).standardOutput
        for prefix in ["A", "B"] {
            for n in 1...25 { #expect(revealed.contains("Concurrent\(prefix)\(n)x"), "\(prefix)-\(n)'s key was lost") }
        }
        try cli.expect(0, ["verify"])
    }
}
