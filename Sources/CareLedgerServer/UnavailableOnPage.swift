internal import Hummingbird
internal import CareLedger
internal import Logging

extension CareLedgerServer {
    /// Runs a dashboard form's work; a refusal that is the operator's to put right (503: the
    /// server has no master key, or not the ledger's since a rotation) is shown on the form's own
    /// page, as every other refusal is, where it would otherwise reach the browser as a problem
    /// document and leave the person without their rows. It is written to the journal as
    /// ``ProblemMiddleware`` writes every 5xx.
    static func showingUnavailable(
        _ request: Request, _ logger: Logger, on page: (LedgerError) -> String, _ work: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await work()
        } catch let error as LedgerError where error.code == .unavailable {
            Problem.journal(error, of: request, status: Problem.status(for: error.code), to: logger)
            return html(page(error), status: Problem.status(for: error.code))
        }
    }
}
