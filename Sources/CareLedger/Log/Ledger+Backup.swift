internal import LMDBStore
internal import Foundation

extension Ledger {
    /// Writes a consistent copy of the ledger into `destination`, a new or empty folder, as a
    /// data folder of its own (`careledger --data DEST` opens it), with its data keys and access
    /// log. The log's copy is one snapshot, so it is safe while this or another process appends;
    /// free pages are left out.
    /// - Returns: the head of the copy.
    public func backup(to destination: String) throws(LedgerError) -> LogHead {
        let files = FileManager.default
        if files.fileExists(atPath: destination) {
            let contents = (try? files.contentsOfDirectory(atPath: destination)) ?? ["?"]
            guard contents.isEmpty else {
                throw LedgerError(.usage, "\(destination) exists and is not an empty folder; back up into a new folder")
            }
        }
        let target = Self.logFolder(in: destination)
        do {
            try files.createDirectory(atPath: target, withIntermediateDirectories: true)
            try environment.copy(toFolder: target, compact: true)
        } catch {
            throw LedgerError.storage(error, "backing up into \(destination)")
        }
        // The data keys after the log: a key made since the copy is one more than the copy needs;
        // one erased since is gone from the copy too. The master key is never in the data folder.
        if let keys = files.contents(atPath: vault.path) {
            let copy = KeyStore.path(in: destination)
            do { try files.createDirectory(atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true) } catch {
                throw LedgerError.storage(error, "backing up the data keys into \(destination)")
            }
            try DurableFile.replace(copy, with: Array(keys))
        }
        if files.fileExists(atPath: AccessLog.folder(in: folder) + "/data.mdb") {
            try AccessLog(dataFolder: folder).copy(toDataFolder: destination)
        }
        return try Ledger(folder: destination, readOnly: true).head()
    }
}
