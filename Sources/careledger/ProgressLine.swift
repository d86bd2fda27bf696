import CareLedger
import Foundation
import LMDBStore
#if canImport(Glibc)
import Glibc
#endif

/// Progress of a long command on standard error: on a terminal one line that updates in place
/// (ended before anything else is printed, an error included); with CARELEDGER_PROGRESS=always
/// (scripts, tests), a line each time; otherwise none, so that logs and pipes stay clean.
final class ProgressLine {
    private let terminal = isatty(2) == 1
    /// Whether anything is shown: commands skip the work of reporting when it is not.
    let shown = isatty(2) == 1 || ProcessInfo.processInfo.environment["CARELEDGER_PROGRESS"] == "always"
    private var lineOpen = false

    /// Shows `line`, over the one before it on a terminal.
    func show(_ line: String) {
        guard shown else { return }
        // Noted before the line is written: a fault explained the moment after (the writing
        // thread preempted as its write returns, while another thread reads on) still ends it.
        if terminal { MappedFiles.noteStandardErrorLine(open: true) }
        StandardStream.error.write(terminal ? "\r\u{1B}[K" + line : line + "\n")
        lineOpen = terminal
    }

    /// Ends the updating line, if one is open.
    func end() {
        if lineOpen { StandardStream.error.write("\n") }
        lineOpen = false
        MappedFiles.noteStandardErrorLine(open: false)
    }

    /// Shows `"WHAT: seq REACHED of HEAD (P%)"`: a fold of the log into the read models.
    func show(_ what: String, seq reached: Seq, of head: Seq) {
        show("\(what): seq \(reached) of \(head) (\(Self.percent(Int(reached.rawValue), of: Int(head.rawValue)))%)")
    }

    /// `part` of `whole` as a whole percentage, never over 100: the figure a progress line shows.
    static func percent(_ part: Int, of whole: Int) -> Int {
        whole > 0 ? min(100, part * 100 / whole) : 100
    }
}
