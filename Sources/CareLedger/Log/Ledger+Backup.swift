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
    /// The copy is staged (``StagedFolder``) and moved into place once whole, the log last: a
    /// backup that fails, or is interrupted, leaves no folder that looks like a backup (a log
    /// without its data keys would read every personal field as lost).
    /// - Returns: the head of the copy.
    public func backup(to destination: String) throws(LedgerError) -> LogHead {
        // A copy inside the folder it copies goes with it: the same disk, and the same folder
        // removed, restored over or lost.
        if FolderPath.isWithin(destination, folder) {
            throw LedgerError(.usage, "a backup into \(destination) would be inside the data folder \(folder), and lost with it: back up into a new folder outside it, on another disk if you can")
        }
        let staged = try StagedFolder(for: destination, refusal: "back up into a new folder", paths: Self.backupPaths(in:))
        defer { staged.discard() }
        try staged.writing { () throws(LedgerError) in try copyWhole(into: staged.path) }
        let head = try Ledger(folder: staged.path, readOnly: true).head()
        try staged.finish(lastPart: Self.logFolderName)
        return head
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
        // A key file there and not readable stops the backup: a copy without it could never
        // read any personal data, and used to be made without a word.
        let keys: [UInt8]?
        do { keys = try WholeFile.read(vault.path) } catch {
            guard error == .missing else {
                throw LedgerError(.storage, "cannot back up the data-key file \(vault.path): \(error.reason); without it the backup's personal data could never be read")
            }
            keys = nil
        }
        if let keys {
            let copy = KeyStore.path(in: target)
            do { try files.createDirectory(atPath: FolderPath.parent(of: copy), withIntermediateDirectories: true) } catch {
                throw LedgerError.storage(error, "backing up the data keys into \(target)")
            }
            try DurableFile.replace(copy, with: keys)
        }
        // Opened for reading: a backup writes nothing into the folder it copies (an auditor's
        // read-only copy has one too).
        if files.fileExists(atPath: AccessLog.folder(in: folder) + "/data.mdb") {
            try AccessLog(dataFolder: folder, readOnly: true).copy(toDataFolder: target)
        }
    }

    /// Everything a backup makes in `folder`, in the order to remove it (files, then folders).
    static func backupPaths(in folder: String) -> [String] {
        let keys = KeyStore.path(in: folder)
        let keysFolder = FolderPath.parent(of: keys)
        return ScratchPaths.environment(in: logFolder(in: folder))
            + [keys, keys + ".tmp-\(getpid())", keysFolder]
            + ScratchPaths.environment(in: AccessLog.folder(in: folder))
    }
}
