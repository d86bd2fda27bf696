import CareLedger
import Crypto
import Foundation
import LMDBStore

/// Imports N events (default 1,000,000) through the ledger, and appends the same bytes to a bare
/// LMDB database with MDB_APPEND, in one run on one machine, and prints both rates and their ratio.
///
/// More lines measure floors of storage layouts: the same writes as the ledger makes (the event
/// appended, its id, stream and type entries held and written sorted in rounds) in one
/// transaction, with every key made before the clock starts, and no parsing, validation or
/// hashing; under it the layout as it was before 2026-11-24's evening, the four writes made per
/// event, as each came; and a layout considered, not built: the events stored 64 to a value.
/// `CARELEDGER_BENCH_INDEXES` chooses which indexes the sorted floors write (``floorIndexes``).
/// The committing floor (``floorStored(file:folder:count:)``) writes what the ledger stores: its
/// events as stored (about 1.6 times the input's bytes), chained, with their index entries.
///
/// This virtual machine's memory is a hidden variable: right after a process had touched 12 GiB
/// once (and freed it) the committing floor took 1.9 s, where it had taken 2.8-3.3 s, and minutes
/// later 2.4-2.8 s again; touching 12 GiB in every phase's child before its clock (tried, not
/// kept) did not make runs repeatable. Compare lines of one run, and several runs.
///
/// Every timed phase runs in a child process of its own (this program, with
/// `CARELEDGER_BENCH_PHASE` set), which holds only what that phase needs; the input is written by
/// another child. Timed one after another in the process that had generated the input, bare LMDB
/// appends ran about three times slower and the import a quarter to a third slower than each in
/// a fresh process. The floors hold every key in memory.
///
///     swift run -c release careledger-bench-import [EVENTS]
///
/// With `CARELEDGER_BENCH_INPUT=FILE` it only writes the input to FILE, for profiling `careledger import`.
/// With `CARELEDGER_BENCH_ROUNDS=N` it times the import and bare appends N times, in turn, prints
/// each round's pair and ratio, and reports the round with the median ratio: on a shared machine
/// one round's ratio moves by half from minute to minute.
@main
struct BenchImport {
    /// The phases, each timed in a process of its own.
    enum Phase: String, CaseIterable {
        case ledger, bare, floorSorted = "floor-sorted", floorPerEvent = "floor-per-event", floorChunked = "floor-chunked"
        case floorStored = "floor-stored"
    }

    static func main() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
        if let keep = environment["CARELEDGER_BENCH_INPUT"] {
            // The demo programme, cut to N events: a prefix of a valid log is valid.
            let text = DemoProgramme(workers: count / 18 + 50, seed: 42).ndjson(limit: count)
            precondition(text.count > 0 && text.filter { $0 == UInt8(ascii: "\n") }.count == count, "the demo programme is too small")
            _ = FileManager.default.createFile(atPath: keep, contents: Data(text))
            print("wrote \(count) events to \(keep)")
            return
        }
        if let name = environment["CARELEDGER_BENCH_PHASE"], let phase = Phase(rawValue: name) {
            // A child: times one phase over the input file into a folder of its own, prints the seconds.
            let file = CommandLine.arguments[2], folder = CommandLine.arguments[3]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let seconds: Double = switch phase {
            case .ledger: try ledger(file: file, folder: folder, count: count)
            case .bare: try bare(lines: try lines(of: file), folder: folder)
            case .floorSorted: try floorSorted(lines: try lines(of: file), folder: folder)
            case .floorChunked: try floorSorted(lines: try lines(of: file), folder: folder, eventsPerValue: chunkedEvents)
            case .floorPerEvent: try floorPerEvent(lines: try lines(of: file), folder: folder)
            case .floorStored: try floorStored(file: file, folder: folder, count: count)
            }
            print(seconds)
            return
        }

        let work = NSTemporaryDirectory() + "careledger-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let file = work + "/events.ndjson"
        _ = try child([String(count)], environment: ["CARELEDGER_BENCH_INPUT": file])
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
        print("input: \(count) events, \(size / 1_048_576) MiB, \(size / count) bytes per event on average")

        // The ledger first, then bare LMDB (round after round), then the floors: each waits for
        // the one before to be on disk (settle), and each child starts from a clean heap.
        func time(_ phase: Phase) throws -> Double {
            let output = try child([String(count), file, work + "/" + phase.rawValue], environment: ["CARELEDGER_BENCH_PHASE": phase.rawValue])
            guard let value = output.split(separator: "\n").last.flatMap({ Double($0) }) else {
                fatalError("the \(phase.rawValue) phase printed no time: \(output)")
            }
            try? FileManager.default.removeItem(atPath: work + "/" + phase.rawValue)
            return value
        }
        let rounds = max(1, Int(environment["CARELEDGER_BENCH_ROUNDS"] ?? "") ?? 1)
        var pairs: [(ledger: Double, bare: Double)] = []
        for round in 1...rounds {
            pairs.append((try time(.ledger), try time(.bare)))
            if rounds > 1 {
                let (ledger, bare) = pairs[round - 1]
                print(String(format: "round %d: import %9.0f events/s, bare %9.0f events/s, ratio %.1f%%",
                             round, Double(count) / ledger, Double(count) / bare, 100 * bare / ledger))
            }
        }
        let median = pairs.sorted { $0.bare / $0.ledger < $1.bare / $1.ledger }[(pairs.count - 1) / 2]
        let sortedSeconds = try time(.floorSorted), indexedSeconds = try time(.floorPerEvent), chunkedSeconds = try time(.floorChunked)
        let storedSeconds = try time(.floorStored)

        let bareSeconds = median.bare, ledgerSeconds = median.ledger
        if rounds > 1 { print("the round with the median ratio of \(rounds):") }
        if floorIndexes != ["ids", "streams", "types"] { print("the sorted floors write the events and only these indexes: \(floorIndexes.sorted())") }
        let bareRate = Double(count) / bareSeconds
        let ledgerRate = Double(count) / ledgerSeconds
        print(String(format: "bare LMDB MDB_APPEND:         %9.0f events/s (%.2f s)", bareRate, bareSeconds))
        print(String(format: "floor, index entries sorted:  %9.0f events/s (%.2f s)  %.1f%% of bare", Double(count) / sortedSeconds, sortedSeconds, 100 * bareSeconds / sortedSeconds))
        print(String(format: "  (written per event, before: %9.0f events/s (%.2f s)  %.1f%% of bare)", Double(count) / indexedSeconds, indexedSeconds, 100 * bareSeconds / indexedSeconds))
        print(String(format: "  (events %d to a value:       %9.0f events/s (%.2f s)  %.1f%% of bare)", chunkedEvents, Double(count) / chunkedSeconds, chunkedSeconds, 100 * bareSeconds / chunkedSeconds))
        print(String(format: "committing floor (stored, chained): %9.0f events/s (%.2f s)  %.1f%% of bare", Double(count) / storedSeconds, storedSeconds, 100 * bareSeconds / storedSeconds))
        print(String(format: "careledger import:            %9.0f events/s (%.2f s)", ledgerRate, ledgerSeconds))
        print(String(format: "ratio (ledger / bare):        %.1f%%   (target: at least 25%%)", 100 * ledgerRate / bareRate))
    }

    /// Runs this program as a child with `arguments` and `environment` added, and answers what it printed.
    static func child(_ arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "the child \(environment) failed")
        return String(decoding: printed, as: UTF8.self)
    }

    /// The input's lines, for the phases that append them as they are.
    static func lines(of file: String) throws -> [ArraySlice<UInt8>] {
        let text = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        return text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
    }

    /// The ledger: validated, hashed, indexed, one atomic import, as `careledger import` makes it.
    static func ledger(file: String, folder: String, count: Int) throws -> Double {
        try Ledger.initialise(folder: folder)
        let ledger = try Ledger(folder: folder)
        settle()
        let clock = ContinuousClock.now
        let summary = try ledger.importNDJSON(path: file)
        let elapsed = seconds(since: clock)
        precondition(summary.appended == count, "the ledger appended \(summary.appended) of \(count)")
        return elapsed
    }

    /// Bare LMDB: the same lines appended with MDB_APPEND, 10,000 a transaction, each commit synced.
    static func bare(lines: [ArraySlice<UInt8>], folder: String) throws -> Double {
        let bare = try Environment(path: folder)
        let db = try bare.openDatabase("events", options: .create)
        settle()
        let clock = ContinuousClock.now
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
        return seconds(since: clock)
    }

    /// The keys the floors write, made from the generator's structure before any clock starts.
    ///
    /// Found by a byte search of each line: Foundation's `String.range(of:)` took about 20 s of CPU
    /// for a million lines. (It did not slow the timed writes after it: floors of 1.36-2.50 s with
    /// the byte search against 1.50-2.96 s with Foundation, alternating, peak RSS 1.05 GB in both.)
    static func floorKeys(_ lines: [ArraySlice<UInt8>]) -> (keys: [(id: [UInt8], stream: [UInt8], type: [UInt8])], prepared: [(seq: [UInt8], streamValue: [UInt8])]) {
        let keys: [(id: [UInt8], stream: [UInt8], type: [UInt8])] = lines.map { line in
            line.withUnsafeBytes { text in
                // The string value of the first member `name`, as the generator writes it (no escapes).
                func field(_ name: String) -> [UInt8] {
                    let opening = Array("\"\(name)\":\"".utf8)
                    guard let start = offset(of: opening, in: text) else { return [] }
                    let rest = UnsafeRawBufferPointer(rebasing: text[(start + opening.count)...])
                    return Array(rest[..<(offset(of: [UInt8(ascii: "\"")], in: rest) ?? rest.count)])
                }
                // The stream, as the ledger derives it for the demo's types (a retraction's is its target's,
                // here approximated by the worker's: the cost of the write is the same).
                let worker = field("workerRef"), caseId = field("caseId"), partner = field("partnerId"), provider = field("providerId")
                let concern = field("concernId")
                let stream = !concern.isEmpty ? Array("concern-".utf8) + concern
                    : !caseId.isEmpty && offset(of: Array("\"concernId\"".utf8), in: text) == nil ? Array("case-".utf8) + caseId
                    : !worker.isEmpty ? Array("worker-".utf8) + worker
                    : !partner.isEmpty ? Array("partner-".utf8) + partner : Array("provider-".utf8) + provider
                return (Array(field("id").prefix(16)), stream, field("type"))
            }
        }
        // Every key and value made before the clock starts: the timed loop is LMDB's work alone.
        var versions: [[UInt8]: UInt64] = [:]
        let prepared: [(seq: [UInt8], streamValue: [UInt8])] = keys.indices.map { index in
            let seqKey = withUnsafeBytes(of: UInt64(index + 1).bigEndian) { Array($0) }
            let version = (versions[keys[index].stream] ?? 0) + 1
            versions[keys[index].stream] = version
            return (seqKey, withUnsafeBytes(of: version.bigEndian) { Array($0) } + seqKey)
        }
        return (keys, prepared)
    }

    /// The floor of the layout as it was: the same four writes per event as the ledger makes (the
    /// event appended, its id, its stream and its type indexed), each as it comes, in one transaction.
    static func floorPerEvent(lines: [ArraySlice<UInt8>], folder: String) throws -> Double {
        let (keys, prepared) = floorKeys(lines)
        let indexed = try Environment(path: folder)
        let dbs = try ["events", "ids", "streams", "types"].map { name in
            try indexed.openDatabase(name, options: name == "streams" || name == "types" ? [.create, .duplicateSort, .duplicateFixed] : .create)
        }
        settle()
        let clock = ContinuousClock.now
        try indexed.write { txn in
            for index in lines.indices {
                let key = keys[index], values = prepared[index]
                try lines[index].withUnsafeBytes { v in try values.seq.withUnsafeBytes { k in try txn.put(dbs[0], key: k, value: v, options: .append) } }
                try txn.put(dbs[1], key: key.id, value: values.seq, options: .noOverwrite)
                try txn.put(dbs[2], key: key.stream, value: values.streamValue, options: .appendDuplicate)
                try txn.put(dbs[3], key: key.type, value: values.seq, options: .appendDuplicate)
            }
        }
        return seconds(since: clock)
    }

    /// How many events the chunked floor stores in one value (about 20 KiB of demo events).
    static let chunkedEvents = 64

    /// The indexes the sorted floors write: `CARELEDGER_BENCH_INDEXES`, a comma-separated choice
    /// of `ids`, `streams` and `types` (all by default; empty for the events alone), to see
    /// what each costs. Only the ledger's line is then the ledger's whole work.
    static var floorIndexes: Set<String> {
        let chosen = ProcessInfo.processInfo.environment["CARELEDGER_BENCH_INDEXES"] ?? "ids,streams,types"
        return Set(chosen.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
    }

    /// The floor of the layout now: each event appended as it comes, its index entries held in
    /// memory and written sorted, through one cursor per index, every 262,144 events (the ledger's
    /// `PendingIndexes.capacity`) and at the end.
    ///
    /// With `eventsPerValue` over 1, a layout the ledger does not have, measured to choose the
    /// next one: the events stored that many to a value, keyed by the first one's seq, each
    /// behind its length (LMDB keeps a value over a page on pages of its own, with one node in
    /// the tree for all of them), the index entries as before.
    ///
    /// With `stored`, the values appended are those instead of the lines (the ledger's stored
    /// events), and each is chained with SHA-256 before it is appended, as the ledger chains.
    static func floorSorted(lines: [ArraySlice<UInt8>], folder: String, eventsPerValue: Int = 1, stored: [ArraySlice<UInt8>]? = nil) throws -> Double {
        let (keys, prepared) = floorKeys(lines)
        let sortedEnvironment = try Environment(path: folder)
        let sortedDBs = try ["events", "ids", "streams", "types"].map { name in
            try sortedEnvironment.openDatabase(name, options: name == "streams" || name == "types" ? [.create, .duplicateSort, .duplicateFixed] : .create)
        }
        let idWords: [(UInt64, UInt64)] = keys.map { key in
            key.id.withUnsafeBytes { (UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))) }
        }
        let typeNames = Set(keys.map(\.type)).sorted { $0.lexicographicallyPrecedes($1) }
        let typeIndex = keys.map { key in typeNames.firstIndex(of: key.type)! }
        // Each event's stream as its name's rank among all names (the ledger numbers its streams
        // as they come and ranks them by name each round).
        let streamNames = Set(keys.map(\.stream)).sorted { $0.lexicographicallyPrecedes($1) }
        let rankOfName = Dictionary(uniqueKeysWithValues: streamNames.enumerated().map { ($1, UInt32($0)) })
        let streamRank = keys.map { rankOfName[$0.stream]! }
        let indexes = floorIndexes
        settle()
        let clock = ContinuousClock.now
        try sortedEnvironment.write { txn in
            var ids: [(UInt64, UInt64, UInt64)] = []
            var streams: [(rank: UInt32, index: UInt32)] = []
            var types: [[UInt64]] = Array(repeating: [], count: typeNames.count)
            func writeRound() throws {
                // An index left out is neither sorted nor written: the floor times only what it writes.
                if indexes.contains("ids") {
                    ids.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                    try txn.withSortedInserter(sortedDBs[1]) { inserter in
                        for (high, low, seq) in ids {
                            var key = (high.bigEndian, low.bigEndian), value = seq.bigEndian
                            try withUnsafeBytes(of: &key) { k in try withUnsafeBytes(of: &value) { v in try inserter.insert(key: k, value: v) } }
                        }
                    }
                }
                if indexes.contains("streams") {
                    streams.sort { ($0.rank, $0.index) < ($1.rank, $1.index) }
                    try txn.withSortedInserter(sortedDBs[2]) { inserter in
                        var start = 0
                        var values: [UInt8] = []
                        while start < streams.count {
                            var end = start
                            values.removeAll(keepingCapacity: true)
                            while end < streams.count, streams[end].rank == streams[start].rank {
                                values += prepared[Int(streams[end].index)].streamValue
                                end += 1
                            }
                            try streamNames[Int(streams[start].rank)].withUnsafeBytes { k in
                                try values.withUnsafeBytes { v in try inserter.appendDuplicates(key: k, values: v, count: end - start) }
                            }
                            start = end
                        }
                    }
                }
                if indexes.contains("types") {
                    try txn.withSortedInserter(sortedDBs[3]) { inserter in
                        for (name, values) in zip(typeNames, types) where !values.isEmpty {
                            try name.withUnsafeBytes { k in try values.withUnsafeBytes { v in try inserter.appendDuplicates(key: k, values: v, count: values.count) } }
                        }
                    }
                }
                ids.removeAll(keepingCapacity: true)
                streams.removeAll(keepingCapacity: true)
                for index in types.indices { types[index].removeAll(keepingCapacity: true) }
            }
            try txn.withAppender(sortedDBs[0]) { events in
                var chunk: [UInt8] = []
                var chunkKey: [UInt8] = []
                var previous = [UInt8](repeating: 0, count: 32)
                for index in lines.indices {
                    let seq = UInt64(index + 1)
                    if let stored {
                        // As the ledger does: the hash made from the previous one and the bytes, then the value written.
                        var hasher = SHA256()
                        hasher.update(data: previous)
                        hasher.update(data: stored[index])
                        previous = hasher.finalize().withUnsafeBytes { Array($0) }
                        try stored[index].withUnsafeBytes { v in try prepared[index].seq.withUnsafeBytes { k in try events.append(key: k, value: v) } }
                    } else if eventsPerValue == 1 {
                        try lines[index].withUnsafeBytes { v in try prepared[index].seq.withUnsafeBytes { k in try events.append(key: k, value: v) } }
                    } else {
                        if chunk.isEmpty { chunkKey = prepared[index].seq }
                        withUnsafeBytes(of: UInt32(lines[index].count).bigEndian) { chunk.append(contentsOf: $0) }
                        chunk.append(contentsOf: lines[index])
                        if index % eventsPerValue == eventsPerValue - 1 || index == lines.count - 1 {
                            try chunk.withUnsafeBytes { v in try chunkKey.withUnsafeBytes { k in try events.append(key: k, value: v) } }
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                    ids.append((idWords[index].0, idWords[index].1, seq))
                    streams.append((streamRank[index], UInt32(index)))
                    types[typeIndex[index]].append(seq.bigEndian)
                    if ids.count == 1 << 18 { try writeRound() }
                }
            }
            try writeRound()
        }
        return seconds(since: clock)
    }

    /// The committing thread's floor: the events exactly as the ledger stores them (taken from an
    /// import that is not timed), chained with SHA-256 and written with their index entries as
    /// the sorted floor writes them, and nothing parsed, checked or assembled. No import that
    /// stores this form in one transaction can commit faster, however its other work is shared
    /// out. (It hashes each stored value whole, 36 header bytes more than the ledger hashes.)
    static func floorStored(file: String, folder: String, count: Int) throws -> Double {
        // Imported by a child of its own, so that this process holds only what the floor needs.
        let source = folder + "/source"
        _ = try child([String(count), file, source], environment: ["CARELEDGER_BENCH_PHASE": Phase.ledger.rawValue])
        var options = Environment.Options()
        options.readOnly = true
        // In one buffer, as the lines are: the values are read in order, as the ledger's come.
        let stored: [ArraySlice<UInt8>] = try {
            let log = try Environment(path: Ledger.logFolder(in: source), options: options)
            let events = try log.openDatabase("events")
            var bytes: [UInt8] = []
            var ends: [Int] = []
            ends.reserveCapacity(count)
            try log.read { txn in
                try txn.withCursor(events) { cursor in
                    var more = try cursor.move(.first)
                    while more {
                        bytes.append(contentsOf: cursor.value)
                        ends.append(bytes.count)
                        more = try cursor.move(.next)
                    }
                }
            }
            return ends.indices.map { index in bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]] }
        }()
        try FileManager.default.removeItem(atPath: source)
        precondition(stored.count == count, "the untimed import stored \(stored.count) of \(count) events")
        let floor = folder + "/floor"
        try FileManager.default.createDirectory(atPath: floor, withIntermediateDirectories: true)
        return try floorSorted(lines: try lines(of: file), folder: floor, stored: stored)
    }

    /// Where `needle` first occurs in `haystack`, if it does.
    static func offset(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let base = haystack.baseAddress, let first = needle.first else { return nil }
        var start = 0
        while haystack.count - start >= needle.count {
            guard let hit = memchr(base + start, Int32(first), haystack.count - start) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            guard haystack.count - at >= needle.count else { return nil }
            if needle.withUnsafeBytes({ memcmp(hit, $0.baseAddress!, needle.count) }) == 0 { return at }
            start = at + 1
        }
        return nil
    }

    /// Waits until every earlier phase's writes are on disk, so that no phase is timed while
    /// the kernel still writes back the one before it (a gigabyte or more by the import's turn).
    static func settle() {
        sync()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
