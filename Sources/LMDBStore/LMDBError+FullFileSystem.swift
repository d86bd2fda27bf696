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
        var info = statvfs()
        guard statvfs(context, &info) == 0 else {
            return spaceErrors.contains(code.rawValue) ? "the file system holding \(context) is full" : nil
        }
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        let total = UInt64(info.f_blocks) * UInt64(info.f_frsize)
        // After a short write the file holds whatever fitted, so a full disk shows (nearly) nothing free.
        guard spaceErrors.contains(code.rawValue) || free < 1 << 20 else { return nil }
        return "the file system holding \(context) is full, with \(Self.size(free)) free of \(Self.size(total))"
    }

    /// `900 bytes`, `512 KiB`, `24 MiB`, `3 GiB`: enough to see how full a disk is.
    static func size(_ bytes: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) bytes" }
        var value = Double(bytes) / 1024, unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(Int(value.rounded())) \(units[unit])"
    }
}
