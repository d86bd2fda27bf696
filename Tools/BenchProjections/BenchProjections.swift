import CareLedger
import Foundation
import ProjectionKit
import ReadModels
import Timelines

/// Rebuilds every read model from zero over a demo ledger of N events (default 1,000,000) and
/// times queries, in one run on one machine, beside a bare LMDB cursor scan of the same stored
/// events as the yardstick.
///
///     swift run -c release careledger-bench-projections [EVENTS]
///
/// With `CARELEDGER_BENCH_DATA=DIR` the demo ledger is kept in DIR and reused by later runs.
@main
struct BenchProjections {
    static func main() throws {

        let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
        let kept = ProcessInfo.processInfo.environment["CARELEDGER_BENCH_DATA"]
        let folder = kept ?? NSTemporaryDirectory() + "careledger-bench-projections-\(getpid())"
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let ledger = try demoLedger(in: folder, events: count)
        let head = try ledger.head().seq
        print("ledger: \(head) demo events in \(folder)")

        // The yardstick: every stored event read once through an LMDB cursor.
        var bytes = 0
        let scan = try measure {
            try ledger.withSnapshot { snapshot in try snapshot.replay(from: Seq(1), through: head) { _, event in bytes += event.count } }
        }
        print(String(format: "bare LMDB cursor scan:      %9.0f events/s (%.2f s, %d MiB)", Double(head.rawValue) / scan, scan, bytes >> 20))

        let models = try ReadModels(ledger: ledger)
        if ProcessInfo.processInfo.environment["CARELEDGER_BENCH_SKIP_REBUILD"] == nil {
            try rebuild(models, ledger: ledger, scan: scan)
        }
        try queries(models, ledger: ledger, head: head)
    }

    /// Rebuilds every projection from zero several times (`CARELEDGER_BENCH_REBUILDS`, default
    /// 5), sampling anonymous memory as it goes: on this shared machine one binary's single runs
    /// differ by half, so the figure to judge is the median of a run's rebuilds.
    static func rebuild(_ models: ReadModels, ledger: Ledger, scan: Double) throws {
        let head = try ledger.head().seq
        let repeats = max(1, Int(ProcessInfo.processInfo.environment["CARELEDGER_BENCH_REBUILDS"] ?? "") ?? 5)
        let sampler = MemorySampler()
        sampler.start()
        var times: [Double] = []
        for _ in 0..<repeats {
            let rebuild = try measure { try models.store.rebuild(from: ledger) }
            times.append(rebuild)
            print(String(format: "rebuild of all projections: %9.0f events/s (%.2f s), %.1f%% of the scan's rate",
                         Double(head.rawValue) / rebuild, rebuild, 100 * scan / rebuild))
        }
        sampler.stop()
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        print(String(format: "rebuilds: median %9.0f events/s, best %9.0f, worst %9.0f (%d rebuilds)",
                     Double(head.rawValue) / median, Double(head.rawValue) / sorted.first!, Double(head.rawValue) / sorted.last!, sorted.count))
        print("peak anonymous memory during the rebuilds: \(sampler.peakKiB / 1024) MiB (VmHWM \(MemorySampler.read("VmHWM") / 1024) MiB, includes mapped LMDB pages)")
        for status in try models.store.status(against: ledger) {
            print("  \(status.name): \(status.records) records, checkpoint \(status.checkpoint.seq)")
        }

        // The floor of this design: the engine reading the same events, reading the members of
        // those the four projections read (as replay does), and keeping nothing.
        let interests = ReadModels.projections.reduce(into: Set<EventType>()) { $0.formUnion($1.interests) }
        let floorFolder = NSTemporaryDirectory() + "careledger-bench-floor-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: floorFolder) }
        let floorStore = try ProjectionStore(dataFolder: floorFolder, projections: [ParseOnly(interests: interests)])
        let floor = try measure { try floorStore.rebuild(from: ledger) }
        print(String(format: "floor: read, peek, read the members of the %d types read, keep nothing: %9.0f events/s (%.2f s)",
                     interests.count, Double(head.rawValue) / floor, floor))

    }

    /// Query latency, known at now and at a past instant (the recordedAt of the middle event).
    static func queries(_ models: ReadModels, ledger: Ledger, head: Seq) throws {
        let past = try ledger.withSnapshot { try $0.recordedAt(Seq(head.rawValue / 2))! }
        let workers = try sampleWorkers(ledger, count: 50)
        let year = try Period("2024-25"), quarter = try Period("2025-Q1")
        let queries: [(String, (Instant?) throws -> Void)] = [
            ("caseload", { knownAt in _ = try models.caseload(QueryOptions(asOf: LocalDate("2025-06-30")!, knownAt: knownAt)) }),
            ("retention 2024-25", { knownAt in _ = try models.retention(QueryOptions(knownAt: knownAt, period: year)) }),
            ("partners 2025-Q1", { knownAt in _ = try models.partners(QueryOptions(knownAt: knownAt, period: quarter)) }),
            ("timeline worker", { knownAt in _ = try models.timeline(.worker, id: workers.randomElement()!, knownAt: knownAt) }),
            ("timeline programme 2024-25", { knownAt in _ = try models.programme(period: year, knownAt: knownAt) }),
        ]
        print("query latency, in process (ms)        known at now: p50    p99 | known at seq \(head.rawValue / 2): p50    p99")
        // CARELEDGER_BENCH_ONLY=caseload times only the queries whose name starts so (for profiling one).
        let only = ProcessInfo.processInfo.environment["CARELEDGER_BENCH_ONLY"] ?? ""
        // CARELEDGER_BENCH_NOW_ONLY=1 skips the past instant (for profiling the queries known at now).
        let nowOnly = ProcessInfo.processInfo.environment["CARELEDGER_BENCH_NOW_ONLY"] == "1"
        for (name, query) in queries where name.hasPrefix(only) {
            let now = try latencies { try query(nil) }
            let then = nowOnly ? (p50: Double.nan, p99: Double.nan) : try latencies { try query(past) }
            let label = "  " + name + String(repeating: " ", count: max(0, 28 - name.count))
            print(label + String(format: " %27.2f %6.2f | %27.2f %6.2f", now.p50, now.p99, then.p50, then.p99))
        }
    }

    /// The demo ledger in `folder`, made (N events of the demo programme) when it is missing.
    static func demoLedger(in folder: String, events count: Int) throws -> Ledger {
        if FileManager.default.fileExists(atPath: Ledger.logFolder(in: folder) + "/data.mdb") {
            return try Ledger(folder: folder)
        }
        try Ledger.initialise(folder: folder)
        let ledger = try Ledger(folder: folder)
        let file = folder + "/demo.ndjson"
        _ = FileManager.default.createFile(atPath: file, contents: Data(DemoProgramme(workers: count / 20 + 50, seed: 42).ndjson(limit: count)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let summary = try ledger.importNDJSON(path: file)
        print("imported \(summary.appended) demo events")
        return ledger
    }

    static func sampleWorkers(_ ledger: Ledger, count: Int) throws -> [String] {
        var workers: [String] = []
        try ledger.readEvents(EventFilter(type: .workerRegistered), limit: count) { event in
            let text = String(decoding: event.canonicalBytes, as: UTF8.self)
            if let range = text.range(of: #""workerRef":""#) {
                workers.append(String(text[range.upperBound...].prefix { $0 != "\"" }))
            }
        }
        return workers
    }

    static func measure(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// p50 and p99 of 200 runs after 10 to warm up, in milliseconds.
    static func latencies(_ body: () throws -> Void) throws -> (p50: Double, p99: Double) {
        for _ in 0..<10 { try body() }
        var samples: [Double] = []
        for _ in 0..<200 { samples.append(try measure(body) * 1000) }
        samples.sort()
        return (samples[samples.count / 2], samples[samples.count * 99 / 100])
    }
}

/// A projection that parses what the read models parse and keeps nothing: the engine's floor.
struct ParseOnly: Projection {
    let name = "parse-only"
    let version = 1
    let interests: Set<EventType>
    func facts(for event: ProjectedEvent) -> [KeyedFact] { [] }
}

/// Samples `RssAnon` from `/proc/self/status` every 20 ms on a thread of its own.
final class MemorySampler: @unchecked Sendable {
    // Guarded by `lock`: written by the sampling thread, read after `stop()`.
    private let lock = NSLock()
    private var running = true
    private var peak = 0

    var peakKiB: Int { lock.withLock { peak } }

    func start() {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let now = Self.read("RssAnon")
                lock.withLock { peak = max(peak, now) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    func stop() {
        let last = Self.read("RssAnon")
        lock.withLock {
            peak = max(peak, last)
            running = false
        }
    }

    /// A `kB` figure from `/proc/self/status`.
    static func read(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
