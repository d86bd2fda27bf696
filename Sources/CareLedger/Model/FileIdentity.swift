internal import Foundation

/// A file's current content as the file system names it (device, inode, size, modification
/// time): a process that caches a small file another process may replace (tokens, data keys)
/// compares identities with one `stat` instead of re-reading the file on every use.
///
/// A replacement by rename gives a new inode, so even a same-size rewrite within one clock tick
/// is noticed.
public struct FileIdentity: Hashable, Sendable {
    private let device: UInt64
    private let inode: UInt64
    private let size: Int64
    private let modifiedSeconds: Int
    private let modifiedNanoseconds: Int

    /// The identity of the file at `path` now, or `nil` when there is no such file.
    public init?(of path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
