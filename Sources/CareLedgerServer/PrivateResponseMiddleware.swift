internal import Hummingbird
internal import HTTPTypes

/// Marks every answer as one no cache may keep and no browser may read as another type.
///
/// Every answer describes a ledger that grows by the minute, and many name workers: a copy kept
/// by a browser outlives the session that fetched it (on a council office's shared computer, the
/// Back button after Sign out could show the caseload again), and a copy kept by a proxy would be
/// served stale. `nosniff` keeps a browser from running as a page a JSON or NDJSON answer whose
/// strings came from writers (a partner's name, an event's reason).
struct PrivateResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[Self.contentTypeOptions] = "nosniff"
        return response
    }

    static var contentTypeOptions: HTTPField.Name { HTTPField.Name("X-Content-Type-Options")! }
}
