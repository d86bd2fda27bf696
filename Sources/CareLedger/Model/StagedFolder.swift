internal import LMDBStore
internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// A folder written whole or not at all (a backup, an audit pack): its contents are made in a
/// staging folder and moved into place once complete, so that a failure or an interruption
/// leaves nothing that looks like the finished thing. The staging folder is beside the
/// destination and renamed to it; for an empty destination folder given (a mount point,
/// perhaps, which no rename may replace), it is inside it and its parts are moved up, the one
/// that makes it whole last. Its paths are registered with `ScratchPaths`, so a signal's handler
/// removes them too.
struct StagedFolder {
    /// Where the contents are to be written.
    let path: String
    private let destination: String
    private let intoExistingFolder: Bool
    private let registration: ScratchPaths.Registration?

    /// Stages a new folder for `destination`, which must be missing or an empty folder.
    /// - Parameters:
    ///   - refusal: what to do instead, said when `destination` holds something already.
    ///   - paths: everything the contents will make in a folder, files before their folders, for
    ///     a signal's handler to remove.
    init(for destination: String, refusal: String, paths: (String) -> [String]) throws(LedgerError) {
        let files = FileManager.default
        guard !destination.allSatisfy(\.isWhitespace) else { throw LedgerError(.usage, "no folder was named; \(refusal)") }
        intoExistingFolder = files.fileExists(atPath: destination)
        if intoExistingFolder, !((try? files.contentsOfDirectory(atPath: destination)) ?? ["?"]).isEmpty {
            throw LedgerError(.usage, "\(destination) exists and is not an empty folder; \(refusal)")
        }
        if !intoExistingFolder, let problem = DataFolder.fileInTheWayProblem(of: destination) {
            throw LedgerError(.usage, "\(problem); \(refusal)")
        }
        var trimmed = destination
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.destination = trimmed
        path = intoExistingFolder ? trimmed + "/.partial-\(getpid())" : trimmed + ".partial-\(getpid())"
        registration = ScratchPaths.register(paths(path) + [path])
        try? files.removeItem(atPath: path)  // left by a crashed process that had this one's pid
        // The destination's missing parent folders are made, as `mkdir -p` would.
        do { try files.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw LedgerError(.storage, "cannot create \(path) to write \(destination) in: \(error.localizedDescription)")
        }
    }

    /// Moves the finished contents into place, `lastPart` (what makes them whole) last, and
    /// makes the move durable.
    func finish(lastPart: String) throws(LedgerError) {
        if intoExistingFolder {
            let parts = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for part in parts.filter({ $0 != lastPart }) + parts.filter({ $0 == lastPart }) where rename(path + "/" + part, destination + "/" + part) != 0 {
                throw DurableFile.failure("cannot move \(part) from \(path) into \(destination)")
            }
        } else if rename(path, destination) != 0 {
            throw DurableFile.failure("cannot move \(path) to \(destination)")
        }
        DurableFile.syncFolder(intoExistingFolder ? destination : FolderPath.parent(of: destination))
    }

    /// Runs `write`, which fills the staging folder, and gives what it returns; a failure is
    /// said of the destination asked for, not of the staging folder it names, which
    /// ``discard()`` removes.
    func writing<Written>(_ write: () throws(LedgerError) -> Written) throws(LedgerError) -> Written {
        do {
            return try write()
        } catch {
            throw LedgerError(error.code, error.rule.replacing(path, with: destination) + "; nothing was left in \(destination)",
                              location: error.location, pointer: error.pointer)
        }
    }

    /// Removes what is left of the staging folder (all of it, unless finished); call it once,
    /// in a `defer` beside the staging.
    func discard() {
        try? FileManager.default.removeItem(atPath: path)
        if let registration { ScratchPaths.unregister(registration) }
    }
}
