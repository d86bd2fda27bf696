import CareLedger
import Foundation
import LMDBStore

/// Imports N events (default 1,000,000) through the ledger, and appends the same bytes to a bare
/// LMDB database with MDB_APPEND, in one run on one machine, and prints both rates and their ratio.
///
///     swift run -c release careledger-bench-import [EVENTS]
@main
struct BenchImport {
    static func main() throws {
        let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
        let work = NSTemporaryDirectory() + "careledger-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        // The input, generated once: both sides read the same file.
        let file = work + "/events.ndjson"
        var generator = SyntheticEvents(seed: 42)
        var text = [UInt8]()
        text.reserveCapacity(count * 420)
        for _ in 0..<count {
            text.append(contentsOf: generator.next().utf8)
            text.append(UInt8(ascii: "\n"))
        }
        _ = FileManager.default.createFile(atPath: file, contents: Data(text))
        print("input: \(count) events, \(text.count / 1_048_576) MiB, \(text.count / count) bytes per event on average")

        // Bare LMDB: the same lines appended with MDB_APPEND, 10,000 a transaction, each commit synced.
        let bareFolder = work + "/bare"
        try FileManager.default.createDirectory(atPath: bareFolder, withIntermediateDirectories: true)
        let bare = try Environment(path: bareFolder)
        let db = try bare.openDatabase("events", options: .create)
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        var clock = ContinuousClock.now
        var seq: UInt64 = 0
        for batchStart in stride(from: 0, to: lines.count, by: 10_000) {
            try bare.write { txn in
                for line in lines[batchStart..<min(batchStart + 10_000, lines.count)] {
                    seq += 1
                    var key = seq.bigEndian
                    try withUnsafeBytes(of: &key) { k in
                        try line.withUnsafeBytes { v in try txn.put(db, key: k, value: v, options: .append) }
                    }
                }
            }
        }
        let bareSeconds = seconds(since: clock)

        // The ledger: validated, hashed, indexed, one atomic import.
        let folder = work + "/ledger"
        try Ledger.initialise(folder: folder)
        let ledger = try Ledger(folder: folder)
        clock = ContinuousClock.now
        let summary = try ledger.importNDJSON(path: file)
        let ledgerSeconds = seconds(since: clock)
        precondition(summary.appended == count, "the ledger appended \(summary.appended) of \(count)")

        let bareRate = Double(count) / bareSeconds
        let ledgerRate = Double(count) / ledgerSeconds
        print(String(format: "bare LMDB MDB_APPEND:   %9.0f events/s (%.2f s)", bareRate, bareSeconds))
        print(String(format: "careledger import:      %9.0f events/s (%.2f s)", ledgerRate, ledgerSeconds))
        print(String(format: "ratio (ledger / bare):  %.1f%%   (target: at least 25%%)", 100 * ledgerRate / bareRate))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
