import Foundation
import LedgerTestSupport
import LMDBStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The temporary folders a command fills for itself go when a signal ends it, not only when it
/// finishes: a rebuild of a large log's read models leaves hundreds of megabytes otherwise.
@Suite struct ScratchFolderTests {
    /// Ctrl-C while `projections verify` has its rebuild's folder: the folder goes, and the
    /// command still ends as Ctrl-C ends it.
    @Test func anInterruptedProjectionsVerifyLeavesNoTemporaryFolder() throws {
        let cli = try ReadModelCommandTests.demo(workers: 10, seed: 4)
        try cli.expect(0, ["projections", "rebuild"])
        let temporary = TemporaryFolder("scratch")
        let (process, rebuildFolders) = try Self.interruptVerifyWithItsRebuildFolderMade(cli, temporary: temporary)
        #expect(rebuildFolders.count == 1, "the command made its rebuild's folder under TMPDIR")
        #expect(process.endedByInterrupt, "ended by SIGINT, not \(process.terminationReason) \(process.terminationStatus)")
        #expect(Self.listing(temporary.path).isEmpty, "left behind: \(Self.listing(temporary.path))")
        // The kept read models were not touched: a run to the end still finds them whole.
        try cli.expect(0, ["projections", "verify"])
    }

    /// A signal the command was started with ignored stays ignored (`nohup` ignores `SIGHUP` so
    /// that a command outlives its terminal), while the others are caught to remove its
    /// temporary folder: as the kernel reports the command's signal dispositions.
    @Test func aSignalIgnoredAtStartStaysIgnored() throws {
        let cli = try ReadModelCommandTests.demo(workers: 5, seed: 2)
        try cli.expect(0, ["projections", "rebuild"])
        let temporary = TemporaryFolder("nohup")
        var dispositions: (ignored: UInt64, caught: UInt64) = (0, 0)
        let (process, _) = try Self.interruptVerifyWithItsRebuildFolderMade(cli, temporary: temporary, ignoring: [SIGHUP]) { process in
            dispositions = Self.signalDispositions(of: process.processIdentifier)
        }
        func has(_ mask: UInt64, _ signal: Int32) -> Bool { mask & (1 << UInt64(signal - 1)) != 0 }
        #expect(has(dispositions.ignored, SIGHUP) && !has(dispositions.caught, SIGHUP), "SIGHUP stays ignored")
        #expect(has(dispositions.caught, SIGINT) && has(dispositions.caught, SIGTERM) && has(dispositions.caught, SIGPIPE))
        #expect(process.endedByInterrupt, "ended by \(process.terminationReason) \(process.terminationStatus), not SIGINT")
        #expect(Self.listing(temporary.path).isEmpty)
    }

    /// Starts `projections verify` (TMPDIR `temporary`, `ignoring` signals ignored at start),
    /// waits until its rebuild's store is made, lets `observe` look at it, and interrupts it
    /// (Ctrl-C). The test holds the kept read models' writer lock meanwhile, which keeps the
    /// command waiting with that folder made: the signal comes at a known point, however busy
    /// the machine. Returns the ended process and the rebuild folders that were seen.
    private static func interruptVerifyWithItsRebuildFolderMade(
        _ cli: CLIWorkspace, temporary: TemporaryFolder, ignoring: [Int32] = [], observe: (Process) -> Void = { _ in }
    ) throws -> (Process, [String]) {
        let kept = try Environment(path: cli.data + "/projections")
        let process = CareLedgerBinary.startUnblocked(["projections", "verify", "--data", cli.data], environment: ["TMPDIR": temporary.path],
                                                      ignoring: ignoring)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var rebuildFolders: [String] = []
        try kept.write { _ in
            try process.run()
            let deadline = Date().addingTimeInterval(300)
            while process.isRunning, Date() < deadline {
                rebuildFolders = listing(temporary.path).filter { $0.hasPrefix("careledger-verify-") }
                if let made = rebuildFolders.first, FileManager.default.fileExists(atPath: temporary.file(made + "/projections/lock.mdb")) { break }
                usleep(2_000)
            }
            observe(process)
            process.interruptAndWait()
        }
        return (process, rebuildFolders)
    }

    /// The signals process `pid` ignores and catches, from `/proc/PID/status` (`SigIgn`, `SigCgt`).
    private static func signalDispositions(of pid: Int32) -> (ignored: UInt64, caught: UInt64) {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func mask(_ name: String) -> UInt64 {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { UInt64($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        }
        return (mask("SigIgn"), mask("SigCgt"))
    }

    private static func listing(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }
}
