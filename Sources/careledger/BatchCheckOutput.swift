import CareLedger
import LedgerJSON

/// A check's report (`import --check`, `append --check`): each problem, then what the batch
/// would do; then exits as the batch itself would have, 0 when it would land.
/// - Parameter limit: the `--max-problems` the check stopped at, if it had one.
func printCheck(_ report: BatchCheck, of source: String, json: Bool, limit: Int? = nil) throws {
    printNote(report.datedAhead)
    if json {
        printJSON(report.json)
    } else {
        for problem in report.problems { print(problem) }
        if report.unlisted > 0 { print("… and \(counted(report.unlisted, "more problem")), not listed: the first \(report.problems.count) say what to mend") }
        var parts = ["\(report.wouldAppend) would be appended"]
        if report.duplicates > 0 { parts.append("\(report.duplicates) already stored (skipped)") }
        if report.refused > 0 { parts.append("\(report.refused) refused") }
        let counts = parts.joined(separator: ", ")
        if report.complete {
            print("Checked \(counted(report.events, "event")) of \(source): \(counts). Nothing was written.")
        } else {
            let at = report.problems.last?.location?.description ?? "the limit"
            print("Stopped at \(at) (--max-problems \(limit ?? report.problems.count)): of the \(counted(report.events, "event")) checked, \(counts); the rest of \(source) was not checked. Nothing was written.")
        }
        if !report.problems.isEmpty { print("Nothing of it would be written until every problem is mended.") }
    }
    if let first = report.problems.first { throw CheckFailed(status: ExitStatus.code(for: first.code)) }
}

/// Runs a batch that stops at its first refused event (`import`, `append`); when one is refused,
/// says so as every refusal is said, then how to list all of the batch's problems at once
/// (`checkCommand`, or nothing when `nil`): a provider's return is mended in one go, not one
/// run per mistake.
/// `checkCommand` is worked out only when a refusal needs it.
func listingEveryProblem<Result>(with checkCommand: @autoclosure () -> String?, _ batch: () throws -> Result) throws -> Result {
    do {
        return try batch()
    } catch let error as LedgerError {
        guard BatchCheck.refusesOneEvent(error), let checkCommand = checkCommand() else { throw error }
        printError("careledger: \(error)\nNothing was written. To list every problem at once: \(checkCommand)")
        throw CheckFailed(status: ExitStatus.code(for: error.code))
    }
}
