internal import Foundation

/// A file named on a command line, read whole through a file handle, so that a pipe reads as a
/// file does: `--master-key <(vault read …)`, `append <(jq -c …)`. `FileManager.contents(atPath:)`
/// reads regular files only, and said nothing of why it could not read the rest.
package enum WholeFile {
    /// Why a file could not be read, said after its name (`cannot read F: …`).
    package enum Failure: Error, Equatable {
        case missing, folder, unreadable, failed(String)

        package var reason: String {
            switch self {
            case .missing: "no such file"
            case .folder: "it is a folder, not a file"
            case .unreadable: "it is not readable by this user"
            case .failed(let why): why
            }
        }
    }

    /// The bytes of the file at `path`, read to its end.
    package static func read(_ path: String) throws(Failure) -> [UInt8] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .missing }
        guard !isFolder.boolValue else { throw .folder }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable }
        defer { try? handle.close() }
        do {
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw .failed(error.localizedDescription)
        }
    }
}
