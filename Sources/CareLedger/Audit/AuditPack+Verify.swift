internal import LedgerJSON
internal import Crypto
internal import Foundation

extension AuditPack {
    /// What an offline check of a pack found.
    public struct Report: Sendable {
        /// The selection, in words.
        public let selection: String
        public let events: Int
        public let chainFrom: Seq
        public let head: LogHead
        public let manifestHash: String
        /// Files a desktop made in the pack's folder (``isDesktopFile(_:)``), left unread.
        public let leftAside: [String]
    }

    /// Whether `name` is a file a desktop makes in any folder it shows, not a pack's: Finder's
    /// `.DS_Store` and the `._` files macOS copies beside others onto a foreign disk, Windows
    /// Explorer's `Thumbs.db` and `desktop.ini`. An auditor who opened the pack's folder to look
    /// at it had made the pack fail as holding files it did not.
    static func isDesktopFile(_ name: String) -> Bool {
        name == ".DS_Store" || name == "Thumbs.db" || name == "desktop.ini" || name.hasPrefix("._")
    }

    /// Checks the pack in `folder` without the ledger: the manifest is canonical and its hash
    /// holds; every file has the SHA-256 the manifest gives; the chain recomputes from the hash
    /// before its first event to the head digest; `events.ndjson` is exactly the chain's events
    /// that belong to the selection. With `digest`, the chain must also hold that published
    /// `seq:hash`. Throws a `verificationFailed` error naming the file and line at fault.
    /// `progress` hears the seq reached and the head as the chain is recomputed, every
    /// ``progressStep`` events and at its end.
    public static func verify(
        folder: String, digest: PublishedDigest? = nil, progress: ((_ reached: Seq, _ head: Seq) -> Void)? = nil
    ) throws(LedgerError) -> Report {
        func fail(_ what: String) -> LedgerError { LedgerError(.verificationFailed, what) }
        func failure(_ name: String, _ error: WholeFile.Failure, limit: String) -> LedgerError {
            switch error {
            case .missing: fail("\(name) is missing from \(folder)")
            case .larger: fail("\(name) is over the \(limit): no pack careledger writes is that large, so it is not read")
            default: fail("\(name) in \(folder) cannot be read: \(error.reason)")
            }
        }
        // A pack sent by mail or through a Windows share may come back with CR LF line ends:
        // altered all the same, but the auditor is told how, and that its source may be honest.
        func altered(_ what: String, lineEndsTurned: Bool) -> LedgerError {
            fail(what + ": it was altered" + (lineEndsTurned
                ? " (its lines end in CR LF, as a copy made for Windows turns them: copy the pack's files byte for byte, as a zip file or with `git` set not to convert them)"
                : ""))
        }
        func read(_ name: String) throws(LedgerError) -> [UInt8] {
            do { return try WholeFile.read(folder + "/" + name, atMost: Int(largestFile)) } catch {
                throw failure(name, error, limit: "\(byteSize(Int(largestFile))) a pack's file may be")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail("there is no audit pack at \(folder): \(FileManager.default.fileExists(atPath: folder) ? "it is a file, and a pack is a folder" : "no such folder")")
        }
        // The manifest: canonical, its own hash right, its fields well-formed.
        let manifestBytes = try read(manifestFile)
        guard let manifest = try? JSONValue(parsing: String(decoding: manifestBytes, as: UTF8.self)), var members = manifest.objectValue,
              manifest.canonicalBytes + [UInt8(ascii: "\n")] == manifestBytes else {
            throw altered("manifest.json is not the canonical JSON the pack was written with", lineEndsTurned: manifestBytes.contains(UInt8(ascii: "\r")))
        }
        let statedHash = members.first { $0.0 == "manifestHash" }?.1.stringValue
        members.removeAll { $0.0 == "manifestHash" }
        guard let statedHash, sha256(JSONValue.object(members).canonicalBytes) == statedHash else {
            throw fail("manifest.json does not match its manifestHash: it was altered")
        }
        guard manifest["format"]?.stringValue == format, let selection = manifest["selection"].flatMap(AuditSelection.init(json:)),
              let headSeq = manifest["head"]?["seq"]?.integerValue, let headHash = manifest["head"]?["hash"]?.stringValue.flatMap(EventHash.init(hex:)),
              let from = manifest["chain"]?["from"]?.integerValue, let previous = manifest["chain"]?["previousHash"]?.stringValue.flatMap(EventHash.init(hex:)),
              manifest["chain"]?["to"]?.integerValue == headSeq, let stated = manifest["events"]?.integerValue,
              let fileHashes = manifest["files"]?.objectValue, Set(fileHashes.map(\.0)) == Set(files) else {
            throw fail("manifest.json lacks a field this careledger writes (format \(format))")
        }
        let others = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).subtracting(files + [manifestFile])
        let leftAside = others.filter(isDesktopFile).sorted()
        let extra = others.subtracting(leftAside)
        if !extra.isEmpty { throw fail("\(folder) holds files the pack did not: \(extra.sorted().joined(separator: ", "))") }
        // The events and the chain are read a block at a time, never whole: a chain's line is at
        // most `longestLine`, so a file larger than its events could take is refused unread.
        guard from >= 1, headSeq >= from else { throw fail("manifest.json gives a chain from seq \(from) to \(headSeq), which holds no event") }
        let chainEvents = Int(headSeq - from + 1)
        let (streamedLimit, overflow) = chainEvents.multipliedReportingOverflow(by: PackFileReader.longestLine)
        let limit = overflow ? Int.max : streamedLimit
        let limitInWords = "\(byteSize(limit)) its chain of \(counted(chainEvents, "event")) could take"
        func streamed(_ name: String) throws(LedgerError) -> PackFileReader {
            do { return try PackFileReader(path: folder + "/" + name, atMost: limit) } catch {
                throw failure(name, error, limit: limitInWords)
            }
        }
        var figuresBytes: [UInt8] = []
        for (name, hash) in fileHashes {
            let actual: (sha256: String, holdsCarriageReturn: Bool)
            if name == "figures.json" {
                figuresBytes = try read(name)
                actual = (sha256(figuresBytes), figuresBytes.contains(UInt8(ascii: "\r")))
            } else {
                let file = try streamed(name)
                do { actual = try file.sha256() } catch {
                    throw failure(name, error, limit: limitInWords)
                }
            }
            guard actual.sha256 == hash.stringValue else {
                throw altered("\(name) does not have the SHA-256 the manifest gives", lineEndsTurned: actual.holdsCarriageReturn)
            }
        }

        // The chain, from the hash before its first event to the head; the selection's events,
        // hashed as they are found, must hash as events.ndjson does.
        var expectedSeq = UInt64(from), hash = previous
        var reader = AuditSelection.Reader(selection)
        var selected = SHA256()
        var count = 0
        var writer = CanonicalJSONWriter()
        var document = JSONDocument()
        var digestSeen = digest.map { $0.seq.rawValue == UInt64(from) - 1 && $0.hash == previous } ?? true
        do {
            try streamed("chain.ndjson").forEachLine { number, line throws(LedgerError) in
                let at = "chain.ndjson line \(number)"
                do { try document.parse(line) } catch { throw fail("\(at) is not JSON") }
                guard let seqIndex = document.member(document.root, named: "seq"), document.integer(seqIndex) == Int64(expectedSeq),
                      let hashIndex = document.member(document.root, named: "hash"), let stored = EventHash(hex: document.string(hashIndex)) else {
                    throw fail("\(at) is not the event at seq \(expectedSeq) with its hash")
                }
                writer.reset()
                writer.write(document, object: document.root) { $0 != "hash" }
                hash = EventHash.chaining(hash, writer.bytes)
                guard hash == stored else { throw fail("\(at): the event at seq \(expectedSeq) does not hash to its hash: the chain breaks there") }
                if let digest, digest.seq.rawValue == expectedSeq { digestSeen = digest.hash == hash }
                if reader.includes(document) {
                    selected.update(bufferPointer: line)
                    selected.update(data: [UInt8(ascii: "\n")])
                    count += 1
                }
                if let progress, expectedSeq % progressStep == 0 || expectedSeq == UInt64(headSeq) {
                    progress(Seq(expectedSeq), Seq(UInt64(headSeq)))
                }
                expectedSeq += 1
            }
        } catch let error as LedgerError {
            throw error
        } catch let tooLong as PackFileReader.LineTooLong {
            throw fail("chain.ndjson line \(tooLong.line) is longer than any event a pack holds (\(byteSize(PackFileReader.longestLine)))")
        } catch let error as WholeFile.Failure {
            throw failure("chain.ndjson", error, limit: limitInWords)
        } catch {
            throw fail("chain.ndjson in \(folder) cannot be read: \(error)")
        }
        guard expectedSeq - 1 == UInt64(headSeq), hash == headHash else {
            throw fail("chain.ndjson ends at seq \(expectedSeq - 1) with hash \(hash), not at the head the manifest gives (\(headSeq):\(headHash))")
        }
        guard EventHash(selected.finalize()).description == fileHashes.first(where: { $0.0 == "events.ndjson" })?.1.stringValue else {
            throw fail("events.ndjson is not exactly the chain's events of \(describe(selection)): an event was added, dropped or changed")
        }
        guard count == stated else { throw fail("the manifest counts \(stated) events; events.ndjson holds \(count)") }
        if let digest, !digestSeen {
            let reach = "its chain runs from seq \(from) to \(headSeq), resting on the hash of seq \(UInt64(from) - 1), so it can check a digest at seq \(UInt64(from) - 1) to \(headSeq)"
            throw fail(digest.seq.rawValue + 1 < UInt64(from) || digest.seq.rawValue > UInt64(headSeq)
                       ? "the pack cannot check a digest at seq \(digest.seq): \(reach)"
                       : "the pack's chain does not hold \(digest): it does not extend that published digest")
        }
        guard let figures = try? JSONValue(parsing: String(decoding: figuresBytes, as: UTF8.self)),
              figures["seqRange"]?["to"]?.integerValue == headSeq else {
            throw fail("figures.json does not state the seq range up to the pack's head \(headSeq)")
        }
        return Report(selection: describe(selection), events: count, chainFrom: Seq(UInt64(from)),
                      head: LogHead(seq: Seq(UInt64(headSeq)), hash: headHash, recordedAt: nil), manifestHash: statedHash,
                      leftAside: leftAside)
    }

    /// The most bytes a pack's manifest or figures may hold: they are read whole, and a file
    /// of many gigabytes (a sparse file costs its maker nothing) ran an auditor's machine out of
    /// memory rather than being refused. The events and the chain are read a line at a time.
    static let largestFile: Int64 = 1 << 30
}
