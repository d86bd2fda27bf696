import CareLedger
import Foundation
import LedgerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `backup DEST` leaves a whole backup at DEST or nothing: one without its data keys or access
/// log would look like a backup and lose personal data on a restore.
@Suite struct BackupTests {
    /// Ctrl-C after the log is copied, while the access log is opened: no DEST, no partial folder.
    @Test func anInterruptedBackupLeavesNoFolder() throws {
        let cli = try CLIWorkspace().initialised()
        // The folder has an access log, and the test holds the exclusive lock that LMDB's first
        // opener takes on its lock file (byte 0): the backup's open of it waits there, with the
        // log copied, however busy the machine.
        _ = try AccessLog(dataFolder: cli.data)
        let lockFile = open(cli.data + "/access-log/lock.mdb", O_RDWR)
        defer { close(lockFile) }
        var exclusive = flock()
        exclusive.l_type = Int16(F_WRLCK)
        exclusive.l_whence = Int16(SEEK_SET)
        exclusive.l_start = 0
        exclusive.l_len = 1
        #expect(fcntl(lockFile, F_SETLK, &exclusive) == 0)

        let destination = cli.folder.file("backup")
        let process = CareLedgerBinary.startUnblocked(["backup", destination, "--data", cli.data])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let partial = destination + ".partial-\(process.processIdentifier)"
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning, Date() < deadline, !Self.waitsForALock(process.processIdentifier) { usleep(2_000) }
        #expect(FileManager.default.fileExists(atPath: partial + "/ledger/data.mdb"), "the log was copied, beside DEST")
        process.interruptAndWait()
        #expect(process.endedByInterrupt, "ended by SIGINT, not \(process.terminationReason) \(process.terminationStatus)")
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    /// Whether process `pid` waits for a file lock (a `->` line of `/proc/locks`).
    private static func waitsForALock(_ pid: Int32) -> Bool {
        let locks = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
        return locks.split(separator: "\n").contains { line in
            line.contains("->") && line.split(separator: " ").contains { $0 == String(pid) }
        }
    }

    /// A backup that fails part-way (an access log it cannot read) leaves nothing at DEST; once
    /// mended, it goes into an empty folder made for it (as a mount point would be), which then
    /// holds the copy and nothing else.
    @Test func aFailedBackupLeavesNoFolder() throws {
        let cli = try CLIWorkspace().initialised()
        let accessLog = cli.data + "/access-log"
        try FileManager.default.createDirectory(atPath: accessLog, withIntermediateDirectories: true)
        cli.folder.write("data/access-log/data.mdb", "not an LMDB data file")
        let destination = cli.folder.file("backup")
        let failed = try cli.run(["backup", destination])
        #expect(failed.status == 5, "\(failed.standardError)")
        #expect(failed.standardError.contains("access log"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("backup") }.isEmpty)
        // A copy that cannot be written (here a file-size limit of 0, as a full disk refuses it)
        // is said of the folder asked for, not of the staging folder already removed.
        try FileManager.default.removeItem(atPath: accessLog)
        let limited = try CareLedgerBinary.run(["backup", destination, "--data", cli.data],
                                               launcher: ["/bin/bash", "-c", #"trap '' XFSZ; ulimit -f 0; exec "$0" "$@""#])
        #expect(limited.status == 5 && limited.standardError.hasPrefix("careledger: backing up into \(destination) failed: "), "\(limited.standardError)")
        #expect(limited.standardError.hasSuffix("; nothing was left in \(destination)\n") && !limited.standardError.contains(".partial"), "\(limited.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("backup") }.isEmpty)

        // Missing parent folders are made, as before staging.
        let nested = cli.folder.file("archive/2025/ledger")
        try cli.expect(0, ["backup", nested])
        #expect(try CareLedgerBinary.run(["verify", "--data", nested]).status == 0)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        try cli.expect(0, ["backup", destination])
        #expect(try CareLedgerBinary.run(["verify", "--data", destination]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination).sorted() == ["ledger"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("backup") } == ["backup"])
    }

    /// A destination under a file is refused in those words, before anything is staged beside it.
    @Test func aDestinationUnderAFileIsNamed() throws {
        let cli = try CLIWorkspace().initialised()
        let file = cli.folder.file("notes.txt")
        cli.folder.write("notes.txt", "keep me")
        let refused = try cli.run(["backup", file + "/backup"])
        #expect(refused.status == 2 && refused.standardError.contains("\(file) is a file, so there can be no folder \(file)/backup under it; back up into a new folder"),
                "\(refused.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).sorted() == ["data", "notes.txt"])
    }

    /// A backup inside the data folder it copies would be lost with it, however the folder is
    /// written; an empty name is no folder. Each is refused before anything is written.
    @Test func aBackupInsideTheDataFolderOrNamedByNothingIsRefused() throws {
        let cli = try CLIWorkspace().initialised()
        let before = try FileManager.default.contentsOfDirectory(atPath: cli.data).sorted()
        try FileManager.default.createSymbolicLink(atPath: cli.folder.file("link"), withDestinationPath: cli.data)
        for destination in [cli.data + "/copy", cli.data, cli.data + "/../data/copy", cli.folder.file("link") + "/copy"] {
            let refused = try cli.run(["backup", destination])
            #expect(refused.status == 2 && refused.standardError.contains("would be inside the data folder"), "\(destination): \(refused.standardError)")
        }
        #expect(try cli.run(["backup", ""]).standardError.contains("no folder was named; back up into a new folder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.data).sorted() == before)
        #expect(try cli.run(["backup", cli.folder.file("copy")]).status == 0, "beside it is fine")
    }
}
