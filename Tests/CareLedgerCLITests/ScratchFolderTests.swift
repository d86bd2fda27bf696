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
        var rebuildFolders: [String] = []
        // Holding the kept read models' writer lock keeps the command waiting for it, with the
        // rebuild's folder made: the signal comes at a known point, however busy the machine.
        let kept = try Environment(path: cli.data + "/projections")
        let process = CareLedgerBinary.startUnblocked(["projections", "verify", "--data", cli.data], environment: ["TMPDIR": temporary.path])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try kept.write { _ in
            try process.run()
            let deadline = Date().addingTimeInterval(300)
            while process.isRunning, Date() < deadline {
                rebuildFolders = Self.listing(temporary.path).filter { $0.hasPrefix("careledger-verify-") }
                if let made = rebuildFolders.first, FileManager.default.fileExists(atPath: temporary.file(made + "/projections/lock.mdb")) { break }
                usleep(2_000)
            }
            process.interruptAndWait()
        }
        #expect(rebuildFolders.count == 1, "the command made its rebuild's folder under TMPDIR")
        #expect(process.endedByInterrupt, "ended by SIGINT, not \(process.terminationReason) \(process.terminationStatus)")
        #expect(Self.listing(temporary.path).isEmpty, "left behind: \(Self.listing(temporary.path))")
        // The kept read models were not touched: a run to the end still finds them whole.
        try cli.expect(0, ["projections", "verify"])
    }

    private static func listing(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }
}
