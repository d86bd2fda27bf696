import CareLedger
import Foundation

/// A command's input named on its command line: a file, or standard input for `-`.
enum InputFile {
    /// The whole of `file`, or of standard input when it is `nil` or `-`.
    /// - Throws: ``LedgerError`` `usage` naming the file and why it cannot be read (nothing
    ///   was written).
    static func bytes(_ file: String?) throws(LedgerError) -> [UInt8] {
        guard let file, file != "-" else { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        do {
            return try WholeFile.read(file)
        } catch {
            throw LedgerError(.usage, "cannot read \(file): \(error.reason); nothing was written")
        }
    }

    /// How a message names the input: the file's path, or `standard input`.
    static func name(_ file: String?) -> String {
        guard let file, file != "-" else { return "standard input" }
        return file
    }
}
