import CareLedger
import Foundation

/// A command's input named on its command line: a file, or standard input for `-`.
enum InputFile {
    /// The most a command reads of its input, which it holds in memory whole: so that
    /// `append /dev/zero`, or a file of many gigabytes named by mistake, is refused rather than
    /// filling the memory.
    static let largest = 1 << 30

    /// The whole of `file`, or of standard input when it is `nil` or `-`.
    /// - Parameter instead: what reads a larger input, said when this one is refused as too large.
    /// - Throws: ``LedgerError`` `usage` naming the file and why it cannot be read (nothing
    ///   was written).
    static func bytes(_ file: String?, instead: String? = nil) throws(LedgerError) -> [UInt8] {
        do {
            guard let file, file != "-" else { return try WholeFile.readStandardInput(atMost: largest) }
            return try WholeFile.read(file, atMost: largest)
        } catch {
            let larger = if case .larger = error, let instead { ": \(instead)" } else { "" }
            throw LedgerError(.usage, "cannot read \(name(file)): \(error.reason)\(larger); nothing was written")
        }
    }

    /// How a message names the input: the file's path, or `standard input`.
    static func name(_ file: String?) -> String {
        guard let file, file != "-" else { return "standard input" }
        return file
    }
}
