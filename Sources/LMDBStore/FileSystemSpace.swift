#if canImport(Glibc)
internal import Glibc
#endif

/// The space of the file system that holds a path: what `stats` and `/metrics` show, so that an
/// operator sees a disk filling before an append fails on it, and what a failed write is judged
/// by (``LMDBError/fullFileSystem``).
public struct FileSystemSpace: Sendable, Equatable {
    /// Bytes an unprivileged process may still write.
    public let free: UInt64
    /// The file system's size in bytes.
    public let total: UInt64

    /// The space of the file system holding `path`; `nil` when it cannot be asked (no such path).
    public init?(holding path: String) {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        total = UInt64(info.f_blocks) * UInt64(info.f_frsize)
    }

    /// `3 GiB free of 20 GiB`.
    public var description: String { "\(Self.size(free)) free of \(Self.size(total))" }

    /// `900 bytes`, `512 KiB`, `24 MiB`, `3 GiB`: enough to see how full a disk is.
    public static func size(_ bytes: UInt64) -> String {
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
