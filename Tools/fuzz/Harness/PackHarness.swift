import CareLedger
import Crypto
import Foundation
import LedgerJSON

/// An audit pack as a forger makes one, checked as `careledger audit-pack verify` checks it.
///
/// A pack comes to an auditor from elsewhere, and its manifest's hashes are plain SHA-256: whoever
/// changes a file can mend every hash that covers it. So the first byte of the input chooses one
/// of the pack's four files, the rest is its new content, and the harness then mends what a
/// forger would: each chain line's `hash` re-chained from the manifest's `previousHash`, the head's
/// hash, every file's SHA-256 and the manifest's own hash. What is left for the verifier is what
/// no hash can catch: the pack's structure, its seqs, its selection and its counts. The pack to
/// start from is `FUZZ_PACK`, a folder `careledger audit-pack` wrote.
enum PackHarness {
    static let names = ["manifest.json", "chain.ndjson", "events.ndjson", "figures.json"]

    static let original: [String: [UInt8]] = {
        guard let folder = ProcessInfo.processInfo.environment["FUZZ_PACK"] else { fatalError("FUZZ_PACK names the audit pack to start from") }
        return Dictionary(uniqueKeysWithValues: names.map { ($0, Array(FileManager.default.contents(atPath: folder + "/" + $0)!)) })
    }()

    /// This process's own folder, written afresh for every input.
    static let folder: String = {
        let path = NSTemporaryDirectory() + "careledger-fuzz-pack-\(getpid())"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func run(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        var files = original
        files[names[Int(first) % names.count]] = Array(bytes.dropFirst())
        var manifest = try? JSONValue(parsing: String(decoding: files["manifest.json"]!, as: UTF8.self))
        if case .object(var members)? = manifest {
            let previous = manifest?["chain"]?["previousHash"]?.stringValue.flatMap(EventHash.init(hex:)) ?? .zero
            let (chain, head) = rechained(files["chain.ndjson"]!, from: previous.bytes)
            files["chain.ndjson"] = chain
            set(&members, "head", to: replacing(manifest?["head"], "hash", with: .string(hex(head))))
            set(&members, "files", to: .object(names.dropFirst().map { ($0, .string(hex(Array(SHA256.hash(data: files[$0]!))))) }))
            members.removeAll { $0.0 == "manifestHash" }
            let hash = hex(Array(SHA256.hash(data: JSONValue.object(members).canonicalBytes)))
            members.append(("manifestHash", .string(hash)))
            manifest = .object(members)
            files["manifest.json"] = manifest!.canonicalBytes + [UInt8(ascii: "\n")]
        }
        for (name, content) in files {
            FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(content))
        }
        _ = try? AuditPack.verify(folder: folder)
    }

    /// `chain` with every line that is a JSON object given the hash SPEC section 2 chains it to.
    static func rechained(_ chain: [UInt8], from previous: [UInt8]) -> ([UInt8], [UInt8]) {
        var out: [UInt8] = [], hash = previous
        for (number, line) in chain.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if number > 0 { out.append(UInt8(ascii: "\n")) }
            guard case .object(var members)? = try? JSONValue(parsing: String(decoding: line, as: UTF8.self)) else {
                out += line
                continue
            }
            members.removeAll { $0.0 == "hash" }
            var hasher = SHA256()
            hasher.update(data: hash)
            hasher.update(data: JSONValue.object(members).canonicalBytes)
            hash = Array(hasher.finalize())
            members.append(("hash", .string(hex(hash))))
            out += JSONValue.object(members).canonicalBytes
        }
        return (out, hash)
    }

    static func set(_ members: inout [(String, JSONValue)], _ name: String, to value: JSONValue) {
        if let index = members.firstIndex(where: { $0.0 == name }) { members[index].1 = value } else { members.append((name, value)) }
    }

    static func replacing(_ object: JSONValue?, _ name: String, with value: JSONValue) -> JSONValue {
        guard case .object(var members)? = object else { return .object([(name, value)]) }
        set(&members, name, to: value)
        return .object(members)
    }

    /// 32 bytes as the pack writes a hash: the ledger's own hex.
    static func hex(_ bytes: [UInt8]) -> String { EventHash(bytes: bytes).description }
}
