internal import Hummingbird
internal import HTTPTypes
internal import LedgerJSON

/// Answers a request for a path the server serves, with a method it does not serve there, `405
/// Method Not Allowed` and the `Allow` header (RFC 9110 section 15.5.6), rather than the router's
/// 404: a client that sends `PUT /v1/events` learns that the path exists and what it takes.
///
/// The methods of each path come from the OpenAPI document (which a test walks against the
/// routes), plus the dashboard's two; `HEAD` goes wherever `GET` does.
struct AllowedMethodsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A path pattern's segments (`nil` for a `{parameter}`) and the methods it answers.
    private static var table: [(segments: [Substring?], methods: [String])] {
        var table: [(segments: [Substring?], methods: [String])] = [([], ["GET"]), (["signin"], ["POST"])]
        for (path, operations) in OpenAPIDocument.json["paths"]?.objectValue ?? [] {
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }
            table.append((segments, (operations.objectValue ?? []).map { $0.0.uppercased() }))
        }
        return table
    }

    private let table = Self.table

    /// The methods `path` answers, or `nil` when the server serves no such path. A fixed path
    /// wins over a pattern (`/v1/timeline/programme` over `/v1/timeline/{kind}/{id}`).
    func methods(for path: String) -> [String]? {
        let segments = path.split(separator: "/")
        let matches = table.filter { entry in
            entry.segments.count == segments.count && zip(entry.segments, segments).allSatisfy { $0 == nil || $0 == $1 }
        }
        let best = matches.max { $0.segments.filter { $0 == nil }.count > $1.segments.filter { $0 == nil }.count }
        guard let methods = best?.methods else { return nil }
        return (methods.contains("GET") ? methods + ["HEAD"] : methods).sorted()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HEAD reaches the router as GET (HeadResponder), so `request.method` is never HEAD here.
        guard let allowed = methods(for: request.uri.path), !allowed.contains(request.method.rawValue) else {
            return try await next(request, context)
        }
        var response = Problem.response(
            status: .methodNotAllowed, title: "Method Not Allowed",
            detail: "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method.rawValue)")
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }
}
