internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// Paths taken apart by hand: Foundation's `NSString.deletingLastPathComponent` traps on a
/// one-character name without a slash (`backup b`, `--data l`), as swift-corelibs-foundation
/// does in the toolchain this builds with.
package enum FolderPath {
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

    /// Whether `path` is `folder` or lies inside it, however either is written (relative, with
    /// `..`, through a symbolic link): a path that does not exist yet is judged by the folders
    /// above it that do.
    package static func isWithin(_ path: String, _ folder: String) -> Bool {
        let inside = resolved(path), outer = resolved(folder)
        return inside == outer || inside.hasPrefix(outer == "/" ? "/" : outer + "/")
    }

    /// `path` made absolute, its `.` and `..` taken out and the symbolic links of the part of it
    /// that exists followed (`realpath`), by hand: see above.
    private static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        // The longest leading part that exists, with its links followed; the rest as written.
        for count in stride(from: parts.count, through: 0, by: -1) {
            let head = "/" + parts.prefix(count).joined(separator: "/")
            guard let real = realpath(head, nil) else { continue }
            defer { free(real) }
            let base = String(cString: real)
            let rest = parts.dropFirst(count).joined(separator: "/")
            return rest.isEmpty ? base : (base == "/" ? "/" : base + "/") + rest
        }
        return "/" + parts.joined(separator: "/")
    }
}
