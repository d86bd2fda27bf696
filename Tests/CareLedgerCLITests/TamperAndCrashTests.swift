import CareLedger
import Foundation
import LedgerJSON
import LedgerTestSupport
import Testing

@Suite("Tampering, crashes and concurrent writers")
struct TamperAndCrashTests {
    typealias F = Fixtures

    @Test func changingOneByteInsideTheDataFileIsCaughtAtThatSeq() throws {
        let cli = try CLIWorkspace().initialised()
        let marker = "Tamperville Care Homes"
        let provider = F.event("ProviderRegistered", ["providerId": "P-77", "name": .string(marker), "laCode": "E08000025"])
        try cli.expect(0, ["append"], input: F.ndjson([provider, F.examples["WorkerArrived"]!]))
        #expect(try changeFirstByte(of: marker, inPlaceIn: cli.data + "/ledger/data.mdb") >= 1)
        let result = try cli.expect(1, ["verify"])
        #expect(result.standardOutput.contains("FAILED at seq 9"))
        let json = try JSONValue(parsing: try cli.expect(1, ["verify", "--json"]).standardOutput)
        #expect(json["ok"] == .bool(false) && json["firstBadSeq"] == .integer(9))
    }

    @Test func aDataFileCutShortIsExplainedNotCrashedOn() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["append"], input: CLIWorkspace.bulk(300, prefix: "T"))
        let path = cli.data + "/ledger/data.mdb"
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        // Half the file, as a copy stopped part-way would leave it: the pages written last (the
        // trees' roots among them) are gone.
        let cut = whole.prefix(whole.count / 2)
        try cut.write(to: URL(fileURLWithPath: path))

        let verified = try cli.expect(1, ["verify"])
        #expect(verified.standardError.contains("Verification FAILED at seq 1"))
        #expect(verified.standardError.contains("data.mdb ends at byte \(cut.count), but byte "))
        #expect(verified.standardError.contains("cut short"))
        // Answered as JSON where asked, on standard output, even with a quote in the folder's name.
        let copy = cli.folder.file("copy \"of\" \\data")
        try FileManager.default.copyItem(atPath: cli.data, toPath: copy)
        let answer = try CareLedgerBinary.run(["verify", "--json", "--data", copy])
        #expect(answer.status == 1)
        let json = try JSONValue(parsing: answer.standardOutput)
        #expect(json["ok"] == .bool(false) && json["firstBadSeq"] == .integer(1))
        #expect(json["detail"]?.stringValue?.contains("copy \"of\" \\data/ledger/data.mdb ends at byte \(cut.count)") == true)
        let read = try cli.expect(5, ["read"])
        #expect(read.standardError.contains("data.mdb ends at byte \(cut.count)") && !read.standardError.contains("crashed"))
        try cli.expect(5, ["append"], input: F.ndjson([F.examples["WorkerArrived"]!]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == cut, "no command may change the damaged file")
    }

    @Test func anIndexEntryChangedOutsideTheChainIsCaughtAtItsEvent() throws {
        let cli = try CLIWorkspace().initialised()
        let events = try cli.expect(0, ["read"]).standardOutput.split(separator: "\n")
        let eighth = try JSONValue(parsing: String(events[7]))
        let id = try #require(eighth["id"]?.stringValue)
        // The id index keys an event by its id's 16 bytes; the event itself holds the id as text.
        let digits = Array(id.replacingOccurrences(of: "-", with: "").utf8)
        let key = stride(from: 0, to: 32, by: 2).map { UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
        let path = cli.data + "/ledger/data.mdb"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var changed = 0
        for i in 0...(bytes.count - key.count) where bytes[i..<(i + key.count)].elementsEqual(key) {
            bytes[i + 15] ^= 0x01  // another id, still in key order
            changed += 1
        }
        #expect(changed >= 1)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let result = try cli.expect(1, ["verify"])
        #expect(result.standardOutput.contains("FAILED at seq 8: the id index has no entry for id \(id)"))
        try cli.expect(0, ["verify", "--chain-only"])  // the chain itself is intact
    }

    @Test func damageToAnyPagesStructureFailsVerificationWithoutACrash() throws {
        let cli = try CLIWorkspace().initialised()
        try cli.expect(0, ["append"], input: CLIWorkspace.bulk(40, prefix: "S"))
        let path = cli.data + "/ledger/data.mdb"
        let intact = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pageSize = 4096
        var outcomes: [Int32: Int] = [:]
        // In each page past LMDB's two meta pages: its flags, its lower and upper bounds, and its
        // first node's offset. LMDB trusts these; damaged, they made it assert (abort), follow a
        // pointer nowhere (SIGSEGV), or hand back keys of the wrong size.
        for page in 2..<(intact.count / pageSize) {
            for offset in [10, 12, 14, 16] {
                var damaged = intact
                damaged[page * pageSize + offset] ^= 0x5A
                try Data(damaged).write(to: URL(fileURLWithPath: path))
                let result = try cli.run(["verify"])
                outcomes[result.status, default: 0] += 1
                #expect(result.status == 0 || result.status == 1, "page \(page), byte \(offset): \(result.standardError)")
                #expect(!result.standardError.contains("crashed"), "page \(page), byte \(offset)")
            }
        }
        #expect(outcomes[1, default: 0] > 0, "some damage was found: \(outcomes)")
    }

    @Test func anEmptiedDataFileFailsVerificationAndIsNotMadeANewLog() throws {
        let cli = try CLIWorkspace().initialised()
        let path = cli.data + "/ledger/data.mdb"
        #expect(truncate(path, 0) == 0)
        let verified = try cli.expect(1, ["verify"])
        #expect(verified.standardOutput.contains("Verification FAILED at seq 1: the data file \(path) is empty (0 bytes)"))
        let json = try JSONValue(parsing: try cli.expect(1, ["verify", "--json"]).standardOutput)
        #expect(json["ok"] == .bool(false) && json["firstBadSeq"] == .integer(1))
        // LMDB alone would write a new, empty log into the file: then verify would pass.
        #expect(try cli.expect(5, ["append"], input: F.ndjson([F.examples["WorkerArrived"]!])).standardError.contains("is empty (0 bytes)"))
        try cli.expect(5, ["init"])
        try cli.expect(5, ["read"])
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == 0)
    }

    @Test func anInputCutShortWhileImportedIsExplainedAndWritesNothing() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        // 60,000 events: the preparing thread runs at most about 4,400 events ahead of the
        // committing one, so at the first progress line most of the file is still unread.
        let file = cli.folder.write("cut.ndjson", CLIWorkspace.bulk(20_000, prefix: "C"))
        var running = try cli.startImport(file)
        #expect(truncate(file, 100) == 0)
        let printed = running.finish()
        let process = running.process
        #expect(process.terminationReason == .exit, "not ended by a signal: \(printed)")
        if process.terminationStatus == 0 {
            // A machine fast enough to read the whole file first: then all of it landed.
            #expect(try cli.digest().hasPrefix("\(8 + 60_000):"))
        } else {
            #expect(process.terminationStatus == 2)
            #expect(printed.contains("cut.ndjson ends at byte 100, but byte ") && printed.contains("Nothing was written from it."))
            #expect(try cli.digest() == before)
        }
        try cli.expect(0, ["verify"])
    }

    /// On a terminal, the import's progress line updates in place; an input cut short under it
    /// is explained on a line of its own, not run on after the progress. The terminal is a
    /// pseudo-terminal from util-linux's `script`.
    @Test func anInputCutShortUnderAProgressLineIsExplainedOnALineOfItsOwn() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux's script, essential on Debian")
        let cli = try CLIWorkspace().initialised()
        let file = cli.folder.write("cut-on-terminal.ndjson", CLIWorkspace.bulk(20_000, prefix: "T"))
        let command = [CareLedgerBinary.path, "import", file, "--data", cli.data].map(ShellWord.quoted).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("importing") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        #expect(truncate(file, 100) == 0)
        seen.append(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        let printed = String(decoding: seen, as: UTF8.self)
        guard process.terminationStatus != 0 else { return }  // a machine that read the whole file first
        let explanation = try #require(printed.range(of: "careledger: \(file) ends at byte 100"), "\(printed.debugDescription)")
        #expect(printed[..<explanation.lowerBound].unicodeScalars.last == "\n", "on a line of its own: \(printed.debugDescription)")
        #expect(printed.contains("\u{1B}[Kimporting"), "the progress line was shown in place: \(printed.debugDescription)")
    }

    @Test func aKilledImportLeavesNoneOrAllOfIt() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try cli.digest()
        let file = cli.folder.write("big.ndjson", CLIWorkspace.bulk(4000, prefix: "K"))
        var running = try cli.startImport(file)
        let process = running.process
        kill(process.processIdentifier, SIGKILL)
        _ = running.finish()
        try cli.expect(0, ["verify"])
        let after = try cli.digest()
        let count = Int(after.split(separator: ":")[0])!
        if process.terminationReason == .uncaughtSignal {
            #expect(after == before || count == 8 + 12_000, "neither none nor all: \(after)")
        } else {
            // On a fast machine the import may have finished before the signal: then all of it is there.
            #expect(process.terminationStatus == 0 && count == 8 + 12_000)
        }
        // The ledger still takes writes.
        try cli.expect(0, ["append"], input: F.ndjson([F.examples["WorkerArrived"]!]))
        try cli.expect(0, ["verify"])
    }

    @Test func twoConcurrentImportsBothLandWhole() throws {
        let cli = try CLIWorkspace().initialised()
        let files = ["A", "B"].map { cli.folder.write("\($0).ndjson", CLIWorkspace.bulk(600, prefix: $0)) }
        let processes = files.map { CareLedgerBinary.start(["import", $0, "--data", cli.data]) }
        for process in processes {
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let verified = try cli.expect(0, ["verify"])
        #expect(verified.standardOutput.contains("Verified \(8 + 3600) events"))
        // Each import is contiguous: one process's batch is never interleaved with the other's.
        let lines = try cli.expect(0, ["read", "--type", "WorkerRegistered"]).standardOutput.split(separator: "\n")
        let order = try lines.compactMap { try JSONValue(parsing: String($0))["data"]?["workerRef"]?.stringValue?.first }
        let switches = zip(order, order.dropFirst()).filter { $0 != $1 }.count
        #expect(order.count == 1201 && switches <= 2)  // W-1, then one file's workers, then the other's
    }

    @Test func backupWhileAnotherProcessAppends() throws {
        let cli = try CLIWorkspace().initialised()
        let file = cli.folder.write("more.ndjson", CLIWorkspace.bulk(1500, prefix: "M"))
        let importer = CareLedgerBinary.start(["import", file, "--data", cli.data])
        importer.standardOutput = FileHandle.nullDevice
        try importer.run()
        let copy = cli.folder.file("backup")
        try cli.expect(0, ["backup", copy])
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        let verified = try CareLedgerBinary.run(["verify", "--data", copy])
        #expect(verified.status == 0)
        #expect(verified.standardOutput.contains("Verified 8 events") || verified.standardOutput.contains("Verified 4508 events"))
    }
}

@Suite("An auditor's own tools")
struct IndependentVerificationTests {
    /// `Tools/reference/verifychain.py`, an auditor's check written from SPEC section 2 and RFC
    /// 8785 with nothing of CareLedger's, verifies `read --stored` output whole, values whose
    /// canonical form is easy to get wrong included (names sorted by UTF-16 code units, escapes,
    /// ECMAScript numbers, ciphertext), and names the seq of a changed byte or a missing event.
    @Test func anAuditorsOwnScriptRecomputesTheChain() throws {
        let python = try #require(ReferencePython.interpreter(), "python3 is on every machine of this kind")
        let (cli, key) = try PersonalDataCommandTests.workspace()
        let unusual = Fixtures.event("PartnerRegistered", ["partnerId": "PT-88", "name": "Caf\u{E9} \"Hope\" \u{2014} \u{1}\u{7F}\u{2028}\\slash \u{1F600}", "kind": "faithGroup"],
                                     meta: ["\u{1F600}": "astral", "\u{FB33}": "dalet", "\u{E000}": "private", "\u{E9}": "e", "Z": "capital"])
        let offer = #"{"type":"JobOfferMade","schemaVersion":1,"occurredOn":"2024-05-01","data":{"workerRef":"W-1","offerId":"O-7","providerId":"P-2","soc":"6136","jobRole":"nurse","weeklyHours":1E-7,"hourlyPayPence":9007199254740991,"channel":"direct","repaymentClause":{"amountPence":0,"months":24,"interestFree":true,"itemised":false}}}"#
        let hours = #"{"type":"JobOfferMade","schemaVersion":1,"occurredOn":"2024-05-02","data":{"workerRef":"W-1","offerId":"O-8","providerId":"P-2","soc":"6135","jobRole":"careWorker","weeklyHours":37.50,"hourlyPayPence":1250,"channel":"direct"}}"#
        try cli.expect(0, ["append", "--master-key", key], input: Fixtures.ndjson([unusual]) + offer + "\n" + hours + "\n")
        let stored = try cli.expect(0, ["read", "--stored"]).standardOutput
        #expect(stored.contains(#""weeklyHours":1e-7"#) && stored.contains(#""ciphertext""#))
        let digest = try cli.digest()
        let script = ReferencePython.script("verifychain.py")

        let whole = try ReferencePython.run(python, script, ["--digest", digest], input: stored)
        #expect(whole.status == 0, "\(whole.errors)")
        #expect(whole.output.hasSuffix("head \(digest)\n"), "\(whole.output)")

        var lines = stored.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let marked = try #require(lines.firstIndex { $0.contains("PT-88") })
        let seq = marked + 1
        let changed = lines[marked].replacingOccurrences(of: "Hope", with: "Hops")
        let tampered = try ReferencePython.run(python, script, input: (lines[..<marked] + [changed] + lines[(marked + 1)...]).joined(separator: "\n"))
        #expect(tampered.status == 1 && tampered.errors.hasPrefix("seq \(seq): its hash does not match"), "\(tampered.errors)")
        lines.remove(at: marked)
        let missing = try ReferencePython.run(python, script, input: lines.joined(separator: "\n"))
        #expect(missing.status == 1 && missing.errors.hasPrefix("seq \(seq + 1): expected seq \(seq)"), "\(missing.errors)")
        // An audit pack's chain, from the hash before it (its manifest's) to the head.
        let pack = cli.folder.file("pack")
        try cli.expect(0, ["audit-pack", "--worker", "W-2", "--out", pack])
        let manifest = try JSONValue(parsing: try String(contentsOfFile: pack + "/manifest.json", encoding: .utf8))
        let from = try #require(manifest["chain"]?["from"]?.integerValue), before = try #require(manifest["chain"]?["previousHash"]?.stringValue)
        let chain = try String(contentsOfFile: pack + "/chain.ndjson", encoding: .utf8)
        let packed = try ReferencePython.run(python, script, ["--after", "\(from - 1):\(before)", "--digest", digest], input: chain)
        let head = try #require(Int(digest.prefix { $0 != ":" }))
        #expect(packed.status == 0 && packed.output.hasPrefix("Verified \(head - Int(from) + 1) events (seq \(from) to \(head))"), "\(packed.output)\(packed.errors)")
        let unanchored = try ReferencePython.run(python, script, ["--after", "\(from - 1):\(String(repeating: "0", count: 64))"], input: chain)
        #expect(unanchored.status == 1 && unanchored.errors.hasPrefix("seq \(from): its hash does not match"), "\(unanchored.errors)")

        // What a plain read shows of personal data cannot be hashed, and the script says why.
        let redacted = try ReferencePython.run(python, script, input: try cli.expect(0, ["read"]).standardOutput)
        #expect(redacted.status == 2 && redacted.errors.contains("careledger read --stored"), "\(redacted.errors)")
    }

    /// `Tools/reference/verifypack.py`, an auditor's check of a whole audit pack written again
    /// in Python, agrees with `careledger audit-pack verify`: on the packs of every worker with a
    /// case (whose cases' and concerns' streams the selection follows) and of a period, each
    /// verified with the published digest, it counts the events careledger wrote; a changed byte,
    /// a file added and a digest the pack does not hold each fail it.
    @Test func anAuditorsOwnScriptVerifiesAPack() throws {
        let python = try #require(ReferencePython.interpreter(), "python3 is on every machine of this kind")
        let script = ReferencePython.script("verifypack.py")
        let cli = CLIWorkspace()
        try cli.expect(0, ["init"])
        try cli.expect(0, ["demo", "--workers", "40"])
        let digest = try cli.digest()
        let opened = try cli.expect(0, ["read", "--type", "CaseOpened"]).standardOutput.split(separator: "\n")
        let workers = Set(try opened.compactMap { try JSONValue(parsing: String($0))["data"]?["workerRef"]?.stringValue }).sorted()
        #expect(workers.count >= 3, "the demo opens cases for several workers: \(workers)")
        var packs: [(folder: String, selection: [String])] = workers.map { (cli.folder.file("pack-\($0)"), ["--worker", $0]) }
        packs.append((cli.folder.file("pack-2024-25"), ["--period", "2024-25"]))
        for (folder, selection) in packs {
            let written = try cli.expect(0, ["audit-pack", "--out", folder] + selection).standardOutput
            let events = try #require(written.firstMatch(of: #/: (\d+) events?,/#)?.1)
            let checked = try ReferencePython.run(python, script, [folder, "--digest", digest], input: "")
            #expect(checked.status == 0 && checked.output.hasPrefix("Verified \(folder): \(events) events of the selection")
                    && checked.output.contains("holds \(digest)"), "\(selection): \(checked.output)\(checked.errors)")
        }

        let folder = packs[0].folder
        let otherDigest = String(repeating: "0", count: 64)
        let unheld = try ReferencePython.run(python, script, [folder, "--digest", "1:\(otherDigest)"], input: "")
        #expect(unheld.status == 1 && unheld.errors.contains("does not hold 1:\(otherDigest)"), "\(unheld.errors)")
        try Data("a note".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let added = try ReferencePython.run(python, script, [folder], input: "")
        #expect(added.status == 1 && added.errors.contains("holds files the pack did not: notes.txt"), "\(added.errors)")
        try FileManager.default.removeItem(atPath: folder + "/notes.txt")
        var chain = Array(try #require(FileManager.default.contents(atPath: folder + "/chain.ndjson")))
        chain[chain.count / 2] ^= 0x01
        try Data(chain).write(to: URL(fileURLWithPath: folder + "/chain.ndjson"))
        let changed = try ReferencePython.run(python, script, [folder], input: "")
        #expect(changed.status == 1 && changed.errors.contains("chain.ndjson does not have the SHA-256 the manifest gives"), "\(changed.errors)")
    }
}
