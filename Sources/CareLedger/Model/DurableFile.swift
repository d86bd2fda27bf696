internal import Foundation

/// Small files the ledger keeps beside its LMDB environments (tokens, data keys), replaced whole.
enum DurableFile {
    /// Writes `bytes` to a temporary file in the same folder, syncs it, renames it over `path` and
    /// syncs the folder: a reader sees the old file or the new one, never half of either, and
    /// the old file's name no longer leads to its bytes.
    /// - Parameter permissions: the new file's mode, when there is no file at `path` yet; one
    ///   that is there keeps its own (an operator's `chmod 640` for a group that serves the
    ///   folder), where every rewrite set it back to `permissions` and locked the group out.
    static func replace(_ path: String, with bytes: [UInt8], permissions: mode_t = 0o600) throws(LedgerError) {
        let temporary = path + ".tmp-\(getpid())"
        var existing = stat()
        let kept = stat(path, &existing) == 0 ? existing.st_mode & 0o777 : nil
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, kept ?? permissions)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        if let kept { fchmod(descriptor, kept) }  // the mode it had, whatever the umask takes away
        let failed = writeAll(bytes, to: descriptor) ? nil : failure("cannot write \(temporary)")
        close(descriptor)
        if let failed {
            unlink(temporary)
            throw failed
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot replace \(path)")
        }
        syncFolder(FolderPath.parent(of: path))
    }

    /// Makes the names just made or renamed in `folder` durable (`""`: the current folder).
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    /// Creates `path` with `bytes`, refusing to replace a file that exists. A file it could not
    /// write whole (a full disk) is removed again: left empty, a master key file would be taken
    /// for one that exists and refused as holding no key, by the very command that makes one.
    static func create(_ path: String, with bytes: [UInt8], permissions: mode_t = 0o600) throws(LedgerError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, permissions)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? LedgerError(.usage, "\(path) exists already; it is not replaced") : failure("cannot create \(path)")
        }
        let failed = writeAll(bytes, to: descriptor) ? nil : failure("cannot write \(path)")
        close(descriptor)
        if let failed {
            unlink(path)  // made by this call (O_EXCL), so its own to remove
            throw failed
        }
        syncFolder(FolderPath.parent(of: path))
    }

    /// Writes all of `bytes` (a write may take only part) and syncs them; `false`, with `errno`
    /// set, when either fails.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { Descriptor.writeAll($0, to: descriptor) } && fsync(descriptor) == 0
    }

    /// A storage error saying `what` failed and why (`errno`'s words).
    static func failure(_ what: String) -> LedgerError {
        LedgerError(.storage, "\(what): \(String(cString: strerror(errno)))")
    }
}
