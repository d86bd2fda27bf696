#if canImport(Glibc)
internal import Glibc
#endif

extension LMDBError {
    /// When this error came from writing into a file system that has run out of space: a phrase
    /// naming it and the space left, such as `the file system holding /srv/ledger is full, with
    /// 0 bytes free of 24 MiB`; `nil` otherwise.
    ///
    /// A full disk does not always say so: LMDB reports a short write as `EIO` ("Input/output
    /// error"), which reads like failing hardware. So after `EIO` (or a file grown too large) the
    /// file system is asked how much space it has left, and a full one is named.
    public var fullFileSystem: String? {
        let spaceErrors: Set<Int32> = [ENOSPC, EDQUOT]
        guard spaceErrors.contains(code.rawValue) || [EIO, EFBIG].contains(code.rawValue), let context else { return nil }
        guard let space = FileSystemSpace(holding: context) else {
            return spaceErrors.contains(code.rawValue) ? "the file system holding \(context) is full" : nil
        }
        // After a short write the file holds whatever fitted, so a full disk shows (nearly) nothing free.
        guard spaceErrors.contains(code.rawValue) || space.free < 1 << 20 else { return nil }
        return "the file system holding \(context) is full, with \(space.description)"
    }
}
