/// Paths taken apart by hand: Foundation's `NSString.deletingLastPathComponent` traps on a
/// one-character name without a slash (`backup b`, `--data l`), as swift-corelibs-foundation
/// does in the toolchain this builds with.
enum FolderPath {
    /// The folder that holds `path`: `.` for a bare name (the working folder), `/` for a name at
    /// the root. Trailing slashes are not a name of their own (`a/b/` is in `a`).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        var parent = trimmed[..<slash]
        while parent.count > 1, parent.hasSuffix("/") { parent.removeLast() }
        return parent.isEmpty ? "/" : String(parent)
    }
}
