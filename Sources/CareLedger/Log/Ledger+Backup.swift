internal import LMDBStore
internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

extension Ledger {
    /// Writes a consistent copy of the ledger into `destination`, a new or empty folder, as a
    /// data folder of its own (`careledger --data DEST` opens it), with its data keys and access
    /// log. The log's copy is one snapshot, so it is safe while this or another process appends;
    /// free pages are left out.
    ///
    /// The copy is made in a folder beside `destination` and renamed into place once whole (into
    /// an empty `destination`, inside it, and its parts moved up, the log last): a backup that
    /// fails, or is interrupted, leaves no folder that looks like a backup (a log without its
    /// data keys would read every personal field as lost). The partial folder is removed then,
    /// by a signal's handler too where the executable installed one.
    /// - Returns: the head of the copy.
    public func backup(to destination: String) throws(LedgerError) -> LogHead {
        let files = FileManager.default
        let existing = files.fileExists(atPath: destination)
        if existing {
            let contents = (try? files.contentsOfDirectory(atPath: destination)) ?? ["?"]
            guard contents.isEmpty else {
                throw LedgerError(.usage, "\(destination) exists and is not an empty folder; back up into a new folder")
            }
        }
        // Into an empty folder given (a mount point, perhaps, which a rename cannot replace) the
        // copy is made inside it; otherwise beside it.
        let partial = existing ? destination + "/.partial-\(getpid())" : Self.partialBackupFolder(for: destination)
        let scratch = ScratchPaths.register(Self.backupPaths(in: partial))
        try? files.removeItem(atPath: partial)  // left by a crashed process that had this one's pid
        defer {
            try? files.removeItem(atPath: partial)
            if let scratch { ScratchPaths.unregister(scratch) }
        }
        try copyWhole(into: partial)
        let head = try Ledger(folder: partial, readOnly: true).head()
        if existing {
            try Self.moveParts(of: partial, into: destination)
        } else if rename(partial, destination) != 0 {
            throw LedgerError(.storage, "cannot move the finished backup from \(partial) to \(destination): \(String(cString: strerror(errno)))")
        }
        Self.syncFolder(existing ? destination : (destination as NSString).deletingLastPathComponent)
        return head
    }

    /// Moves the parts of the finished copy `partial` into the empty folder `destination`, the
    /// log last: a folder without its log (not a ledger) is all an interruption can leave.
    private static func moveParts(of partial: String, into destination: String) throws(LedgerError) {
        let parts = (try? FileManager.default.contentsOfDirectory(atPath: partial)) ?? []
        for part in parts.filter({ $0 != "ledger" }) + parts.filter({ $0 == "ledger" }) where rename(partial + "/" + part, destination + "/" + part) != 0 {
            throw LedgerError(.storage, "cannot move the finished backup's \(part) from \(partial) into \(destination): \(String(cString: strerror(errno)))")
        }
    }

    /// Makes a rename in `folder` durable.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    /// Copies the log, the data keys and the access log into the new folder `target`.
    private func copyWhole(into target: String) throws(LedgerError) {
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: Self.logFolder(in: target), withIntermediateDirectories: true)
            try environment.copy(toFolder: Self.logFolder(in: target), compact: true)
        } catch {
            throw LedgerError.storage(error, "backing up into \(target)")
        }
        // The data keys after the log: a key made since the copy is one more than the copy needs;
        // one erased since is gone from the copy too. The master key is never in the data folder.
        if let keys = files.contents(atPath: vault.path) {
            let copy = KeyStore.path(in: target)
            do { try files.createDirectory(atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true) } catch {
                throw LedgerError.storage(error, "backing up the data keys into \(target)")
            }
            try DurableFile.replace(copy, with: Array(keys))
        }
        // Opened for reading: a backup writes nothing into the folder it copies (an auditor's
        // read-only copy has one too).
        if files.fileExists(atPath: AccessLog.folder(in: folder) + "/data.mdb") {
            try AccessLog(dataFolder: folder, readOnly: true).copy(toDataFolder: target)
        }
    }

    /// Where a backup into `destination` is made: beside it (so that it can be renamed into
    /// place), named for it and this process.
    static func partialBackupFolder(for destination: String) -> String {
        var trimmed = destination
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + ".partial-\(getpid())"
    }

    /// Everything a backup makes in `folder`, in the order to remove it (files, then folders).
    static func backupPaths(in folder: String) -> [String] {
        let keys = KeyStore.path(in: folder)
        let keysFolder = (keys as NSString).deletingLastPathComponent
        return ScratchPaths.environment(in: logFolder(in: folder))
            + [keys, keys + ".tmp-\(getpid())", keysFolder]
            + ScratchPaths.environment(in: AccessLog.folder(in: folder))
            + [folder]
    }
}
