internal import Foundation

/// Why a data folder (or a backup's or audit pack's destination) cannot be made or opened there,
/// in words that say what to change.
///
/// Foundation's own errors here read "The operation could not be completed. (NSCocoaErrorDomain
/// error 512.)"; a programme officer who pointed `--data` at a file should be told that instead.
enum DataFolder {
    /// The first thing on the way to `folder` that is a file rather than a folder, or `folder`
    /// itself when it is a file; `nil` when every part that exists is a folder.
    static func fileInTheWay(of folder: String) -> String? {
        var path = folder
        while true {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                return isFolder.boolValue ? nil : path
            }
            let parent = FolderPath.parent(of: path)
            if parent == path { return nil }  // `.` or `/` missing: nothing more to look at
            path = parent
        }
    }

    /// What is wrong with `folder` as a folder to make or open, when it is a file or lies under
    /// one: the start of a refusal, which the caller ends with what to do instead.
    static func fileInTheWayProblem(of folder: String) -> String? {
        guard let file = fileInTheWay(of: folder) else { return nil }
        return file == folder ? "\(folder) is a file, not a folder" : "\(file) is a file, so there can be no folder \(folder) under it"
    }

    /// The refusal for a data folder that is a file or lies under one, if it does.
    static func requireNoFileInTheWay(of folder: String) throws(LedgerError) {
        guard let problem = fileInTheWayProblem(of: folder) else { return }
        throw LedgerError(.usage, "\(problem): name the ledger's data folder with --data DIR (or $CARELEDGER_DATA)")
    }
}
