import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

/// `audit-pack --out DIR` leaves a whole pack or nothing, as `backup` does.
@Suite struct AuditPackOutputTests {
    /// A pack that fails once its folder is staged (a worker the log does not know) leaves
    /// neither the pack's folder nor its staging; one into an empty folder made for it holds the
    /// pack's four files and nothing else, and verifies.
    @Test func aFailedPackLeavesNothingAndAnEmptyFolderTakesOne() throws {
        let cli = try CLIWorkspace().initialised()
        let pack = cli.folder.file("pack")
        let failed = try cli.run(["audit-pack", "--worker", "W-NOBODY", "--out", pack])
        #expect(failed.status == 1, "\(failed.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("pack") }.isEmpty)

        try FileManager.default.createDirectory(atPath: pack, withIntermediateDirectories: false)
        try cli.expect(0, ["audit-pack", "--worker", "W-1", "--out", pack])
        #expect(try FileManager.default.contentsOfDirectory(atPath: pack).sorted() == ["chain.ndjson", "events.ndjson", "figures.json", "manifest.json"])
        #expect(try CareLedgerBinary.run(["audit-pack", "verify", pack]).status == 0)
        // Its figures name what made them: the read models' versions and the schemas, as
        // `careledger --version` prints them.
        let figures = try JSONValue(parsing: try String(contentsOfFile: pack + "/figures.json", encoding: .utf8))
        let version = try CareLedgerBinary.run(["--version"]).standardOutput
        #expect(figures["schemas"]?.stringValue.map { version.contains("sha256 \($0) ") } == true && figures["projections"]?["caseload"]?.integerValue != nil,
                "\(figures["schemas"] ?? nil) \(version)")
        let again = try cli.run(["audit-pack", "--worker", "W-1", "--out", pack])
        #expect(again.status == 2 && again.standardError.contains("not an empty folder"), "\(again.standardError)")
    }

    /// A pack's file of many gigabytes (sparse: it costs its maker nothing) is refused by its
    /// size, unread: more than its chain's events could take (1 MiB an event at most). One that
    /// is not a file is refused saying so.
    @Test func aPackFileTooLargeToReadIsRefusedBySize() throws {
        let cli = try CLIWorkspace().initialised()
        let pack = cli.folder.file("pack")
        try cli.expect(0, ["audit-pack", "--worker", "W-1", "--out", pack])
        let chain = pack + "/chain.ndjson"
        #expect(truncate(chain, 20 << 30) == 0)
        let huge = try CareLedgerBinary.run(["audit-pack", "verify", pack])
        #expect(huge.status == 1 && huge.standardError.contains("chain.ndjson is over the ") && huge.standardError.contains(" MiB its chain of ")
                && huge.standardError.contains("events could take: no pack careledger writes is that large, so it is not read"), "\(huge.standardError)")
        try FileManager.default.removeItem(atPath: chain)
        try FileManager.default.createDirectory(atPath: chain, withIntermediateDirectories: false)
        let folder = try CareLedgerBinary.run(["audit-pack", "verify", pack])
        #expect(folder.status == 1 && folder.standardError.contains("chain.ndjson in \(pack) cannot be read: it is a folder, not a file"), "\(folder.standardError)")
    }

    /// A period's pack whose chain is larger than the block its files are written and read in
    /// (1 MiB) verifies, its lines carried across the blocks' edges. Writing it reads the whole
    /// log, and verifying it recomputes the chain: each shows how far it is (on a terminal, or
    /// with CARELEDGER_PROGRESS=always as here), and nothing into a pipe.
    @Test func aChainLargerThanAReadBlockVerifiesShowingProgress() throws {
        let cli = CLIWorkspace()
        try cli.expect(0, ["init"])
        try cli.expect(0, ["demo", "--workers", "150"])
        let head = try #require(Int(try cli.digest().prefix { $0 != ":" }))
        let pack = cli.folder.file("pack")
        let always = ["CARELEDGER_PROGRESS": "always"]
        let written = try cli.expect(0, ["audit-pack", "--period", "2023-24", "--out", pack], environment: always)
        #expect(written.standardError.hasSuffix("packing: reading the log: seq \(head) of \(head) (100%)\n"), "\(written.standardError)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: pack + "/chain.ndjson")[.size] as? Int)
        #expect(size > 1 << 20, "the chain must cross a block's edge to test this: \(size) bytes")
        let events = try #require(written.standardOutput.firstMatch(of: #/: (\d+) events,/#)?.1)
        let verified = try CareLedgerBinary.run(["audit-pack", "verify", pack], environment: always)
        #expect(verified.status == 0 && verified.standardOutput.contains("Verified \(pack): \(events) events of period 2023-24")
                && verified.standardError.hasSuffix("verifying the chain: seq \(head) of \(head) (100%)\n"), "\(verified.standardOutput)\(verified.standardError)")
        let quiet = try CareLedgerBinary.run(["audit-pack", "verify", pack])
        #expect(quiet.status == 0 && quiet.standardError.isEmpty, "no progress into a pipe unless asked: \(quiet.standardError)")
    }

    /// A worker's pack reads the log from the worker's first event, not from seq 1: every event
    /// about a worker comes after its registration (SPEC 3). Its progress shows it: a worker
    /// registered after seq 4096 is packed without passing seq 4096, which a period's pack
    /// passes on its way through the whole log.
    @Test func aWorkersPackReadsFromTheWorkersFirstEvent() throws {
        let cli = try ReadModelCommandTests.demo(workers: 220, seed: 3)
        let head = try #require(Int(try cli.digest().prefix { $0 != ":" }))
        let registered = try #require(try cli.expect(0, ["read", "--type", "WorkerRegistered"]).standardOutput.split(separator: "\n").last)
        let last = try JSONValue(parsing: String(registered))
        let seq = try #require(last["seq"]?.integerValue), worker = try #require(last["data"]?["workerRef"]?.stringValue)
        #expect(seq > 4096 && head > seq, "a worker registered late in a log of over 4096 events: \(worker) at \(seq) of \(head)")
        let always = ["CARELEDGER_PROGRESS": "always"]
        let packed = try cli.expect(0, ["audit-pack", "--worker", worker, "--out", cli.folder.file("pack-worker")], environment: always)
        #expect(packed.standardError == "packing: reading the log: seq \(head) of \(head) (100%)\n", "\(packed.standardError)")
        #expect(packed.standardOutput.contains("the chain from seq \(seq) to the head \(head):"), "\(packed.standardOutput)")
        #expect(try CareLedgerBinary.run(["audit-pack", "verify", cli.folder.file("pack-worker")]).status == 0)
        let period = try cli.expect(0, ["audit-pack", "--period", "2024-25", "--out", cli.folder.file("pack-period")], environment: always)
        #expect(period.standardError.hasPrefix("packing: reading the log: seq 4096 of \(head)"), "\(period.standardError)")
    }

    /// A pack whose files cannot be written whole (a file-size limit of 8 KiB, as a full disk
    /// refuses a write part-way through the events it streams) fails with a storage error naming
    /// the file, and leaves neither the pack nor its staging folder behind.
    @Test func aPackNotWrittenWholeLeavesNothing() throws {
        let cli = CLIWorkspace()
        try cli.expect(0, ["init"])
        try cli.expect(0, ["demo", "--workers", "5"])
        try cli.expect(0, ["query", "caseload"])  // the read models caught up, so only the pack writes
        let pack = cli.folder.file("pack")
        let limited = try CareLedgerBinary.run(["audit-pack", "--period", "2024-25", "--out", pack, "--data", cli.data],
                                               launcher: ["/bin/bash", "-c", #"trap '' XFSZ; ulimit -f 8; exec "$0" "$@""#])
        #expect(limited.status == 5 && limited.standardError.contains("cannot write \(pack)/") && limited.standardError.contains("File too large")
                && limited.standardError.contains("nothing was left in \(pack)"), "\(limited.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("pack") }.isEmpty)
    }

    /// Files a desktop makes in a folder it shows (Finder's `.DS_Store`, the `._` files macOS
    /// copies onto a foreign disk) are left aside and named; any other file fails the pack.
    @Test func desktopFilesAreLeftAsideAndOthersFail() throws {
        let cli = try CLIWorkspace().initialised()
        let pack = cli.folder.file("pack")
        try cli.expect(0, ["audit-pack", "--worker", "W-1", "--out", pack])
        for name in [".DS_Store", "._manifest.json", "Thumbs.db"] { try Data([0, 1, 2]).write(to: URL(fileURLWithPath: pack + "/" + name)) }
        let shown = try CareLedgerBinary.run(["audit-pack", "verify", pack])
        #expect(shown.status == 0 && shown.standardOutput.contains("Left aside, unread: .DS_Store, ._manifest.json, Thumbs.db, made by a desktop"),
                "\(shown.standardOutput)\(shown.standardError)")
        try Data("a note".utf8).write(to: URL(fileURLWithPath: pack + "/notes.txt"))
        let other = try CareLedgerBinary.run(["audit-pack", "verify", pack])
        #expect(other.status == 1 && other.standardError.contains("\(pack) holds files the pack did not: notes.txt"), "\(other.standardError)")
    }

    /// `--json` answers for a script, as every command does (SPEC 7): writing gives the pack's
    /// events, chain and head; verifying gives `ok` with the same, or `ok: false` with the
    /// detail on standard output (exit 1), as `verify --json` does.
    @Test func writingAndVerifyingAnswerJSON() throws {
        let cli = try CLIWorkspace().initialised()
        let pack = cli.folder.file("pack")
        let digest = try cli.digest()
        let written = try JSONValue(parsing: try cli.expect(0, ["audit-pack", "--worker", "W-1", "--out", pack, "--json"]).standardOutput)
        #expect(written["out"]?.stringValue == pack && written["events"]?.integerValue == 4 && written["chain"]?["to"]?.integerValue == 8
                && written["head"]?["hash"]?.stringValue.map { digest.hasSuffix($0) } == true, "\(written)")
        let verified = try CareLedgerBinary.run(["audit-pack", "verify", pack, "--json", "--digest", digest])
        let answer = try JSONValue(parsing: verified.standardOutput)
        #expect(verified.status == 0 && answer["ok"]?.boolValue == true && answer["selection"]?.stringValue == "worker W-1"
                && answer["events"] == written["events"] && answer["chain"] == written["chain"] && answer["manifestHash"] == written["manifestHash"]
                && answer["digest"]?.stringValue == digest, "\(verified.standardOutput)")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: pack + "/figures.json"))
        let failed = try CareLedgerBinary.run(["audit-pack", "verify", pack, "--json"])
        let refusal = try JSONValue(parsing: failed.standardOutput)
        #expect(failed.status == 1 && refusal["ok"]?.boolValue == false
                && refusal["detail"]?.stringValue == "figures.json does not have the SHA-256 the manifest gives: it was altered", "\(failed.standardOutput)")
    }

    /// A pack that is not there says so, rather than that its manifest is missing.
    @Test func verifyingAPackThatIsNotThereSaysSo() throws {
        let folder = TemporaryFolder("no-pack")
        let missing = try CareLedgerBinary.run(["audit-pack", "verify", folder.file("pack")])
        #expect(missing.status == 1 && missing.standardError.contains("there is no audit pack at \(folder.file("pack")): no such folder"), "\(missing.standardError)")
        folder.write("notes.txt", "a file")
        let file = try CareLedgerBinary.run(["audit-pack", "verify", folder.file("notes.txt")])
        #expect(file.status == 1 && file.standardError.contains("it is a file, and a pack is a folder"), "\(file.standardError)")
    }
}
