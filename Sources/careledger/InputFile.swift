import CareLedger
import Foundation

/// A command's input named on its command line: a file, or standard input for `-`.
enum InputFile {
    /// The whole of `file`, or of standard input when it is `nil` or `-`.
    /// - Throws: ``LedgerError`` `usage` naming the file and why it cannot be read (nothing
    ///   was written).
    ///
    /// Read through a file handle, so that a pipe reads as a file does: `append <(jq -c … )`
    /// was refused as "not readable", where `FileManager.contents(atPath:)` read only files.
    static func bytes(_ file: String?) throws(LedgerError) -> [UInt8] {
        guard let file, file != "-" else { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        func refused(_ reason: String) -> LedgerError { LedgerError(.usage, "cannot read \(file): \(reason); nothing was written") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else { throw refused("no such file") }
        guard !isFolder.boolValue else { throw refused("it is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: file) else { throw refused("it is not readable by this user") }
        defer { try? handle.close() }
        do {
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw refused(error.localizedDescription)
        }
    }

    /// How a message names the input: the file's path, or `standard input`.
    static func name(_ file: String?) -> String {
        guard let file, file != "-" else { return "standard input" }
        return file
    }
}
