internal import Hummingbird
internal import Foundation
internal import CareLedger

/// `serve --log-requests`: one line a request on standard error, for an operator who must be able
/// to say later who asked for what (a worker's timeline is row-level data about a person, even
/// under a pseudonym):
///
///     2026-12-06T03:22:00.123456Z token:sam GET /v1/timeline/worker/W-00007 200 1.4ms
///
/// The time is written as the ledger writes `recordedAt` (UTC, microseconds), so that an append's
/// line can be set beside the events it recorded.
///
/// The caller is the token's name, never the token; `no token` and `unknown token` say what a
/// refused request presented. Written when the response starts (an event stream's line comes
/// when it opens), in one `write`, so that lines of concurrent requests do not interleave.
///
/// A line that cannot be written (its disk full) is lost, counted in `/metrics`
/// (`careledger_request_log_lines_lost_total`), and the request is answered all the same.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            write(request, status: response.status.code, since: started)
            return response
        } catch {
            write(request, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func write(_ request: Request, status: Int, since started: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - started).seconds * 1000
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let line = "\(Instant.now()) \(access.callerName(of: request)) \(request.method.rawValue) \(target) \(status) \(String(format: "%.1f", milliseconds))ms\n"
        if !StandardStream.error.write(line) { metrics.requestLogLineLost() }
    }
}
