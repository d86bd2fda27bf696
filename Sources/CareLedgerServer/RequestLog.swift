internal import Hummingbird
internal import Foundation

/// `serve --log-requests`: one line a request on standard error, for an operator who must be able
/// to say later who asked for what (a worker's timeline is row-level data about a person, even
/// under a pseudonym):
///
///     2026-12-06T03:22:00.123Z token:sam GET /v1/timeline/worker/W-00007 200 1.4ms
///
/// The caller is the token's name, never the token; `no token` and `unknown token` say what a
/// refused request presented. Written when the response starts (an event stream's line comes
/// when it opens), in one `write`, so that lines of concurrent requests do not interleave.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl

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
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let time = Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
        let line = "\(time)Z \(access.callerName(of: request)) \(request.method.rawValue) \(target) \(status) \(String(format: "%.1f", milliseconds))ms\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
