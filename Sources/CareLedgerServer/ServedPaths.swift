internal import Hummingbird
internal import HTTPTypes
internal import LedgerJSON
internal import CareLedger

/// Every path the server serves and the methods it takes there: the OpenAPI document's paths
/// (which a test walks against the routes) and the dashboard's five (its pages for recording rows
/// and correcting an event among them). The one list behind `405` answers and the metrics' `route` label, so neither can
/// drift from the routes on its own.
enum ServedPaths {
    /// A served path: its pattern's segments (`nil` for a `{parameter}`), the methods it answers,
    /// and, for the API's paths, the query parameters each method takes (the dashboard's pages,
    /// which people type, are not held to theirs).
    struct Entry {
        let segments: [Substring?]
        let methods: [String]
        let queryParameters: [String: Set<String>]?
    }

    static let table: [Entry] = {
        var table = [Entry(segments: [], methods: ["GET"], queryParameters: nil),
                     Entry(segments: ["signin"], methods: ["POST"], queryParameters: nil),
                     Entry(segments: ["signout"], methods: ["POST"], queryParameters: nil),
                     Entry(segments: ["record"], methods: ["GET", "POST"], queryParameters: nil),
                     Entry(segments: ["correct"], methods: ["GET", "POST"], queryParameters: nil)]
        for (path, operations) in OpenAPIDocument.json["paths"]?.objectValue ?? [] {
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }
            var parameters: [String: Set<String>] = [:]
            for (method, operation) in operations.objectValue ?? [] {
                parameters[method.uppercased()] = Set((operation["parameters"]?.arrayValue ?? []).compactMap { parameter in
                    parameter["in"]?.stringValue == "query" ? parameter["name"]?.stringValue : nil
                })
            }
            table.append(Entry(segments: segments, methods: (operations.objectValue ?? []).map { $0.0.uppercased() }, queryParameters: parameters))
        }
        return table
    }()

    /// The first two segments of every served path (`/v1/timeline`): the `route` label's values.
    static let routes: Set<String> = Set(table.map { "/" + $0.segments.prefix(2).map { String($0 ?? "") }.joined(separator: "/") })

    /// Every served path without a `{parameter}` (`/v1/caseload`): what a mistyped path is compared with.
    static let fixedPaths: [String] = table.compactMap { entry in
        entry.segments.contains(nil) ? nil : "/" + entry.segments.map { String($0!) }.joined(separator: "/")
    }

    /// The methods `path` answers, or `nil` when the server serves no such path. A fixed path
    /// wins over a pattern (`/v1/timeline/programme` over `/v1/timeline/{kind}/{id}`); `HEAD`
    /// goes wherever `GET` does.
    static func methods(for path: String) -> [String]? {
        guard let methods = entry(for: path)?.methods else { return nil }
        return (methods.contains("GET") ? methods + ["HEAD"] : methods).sorted()
    }

    /// The query parameters `method` takes at `path`, or `nil` where they are not checked.
    static func queryParameters(for path: String, method: String) -> Set<String>? {
        entry(for: path)?.queryParameters?[method]
    }

    private static func entry(for path: String) -> Entry? {
        let segments = path.split(separator: "/")
        let matches = table.filter { entry in
            entry.segments.count == segments.count && zip(entry.segments, segments).allSatisfy { $0 == nil || $0 == $1 }
        }
        return matches.max { $0.segments.filter { $0 == nil }.count > $1.segments.filter { $0 == nil }.count }
    }
}

/// Answers a request for a path the server serves, with a method it does not serve there, `405
/// Method Not Allowed` and the `Allow` header (RFC 9110 section 15.5.6), rather than the router's
/// 404: a client that sends `PUT /v1/events` learns that the path exists and what it takes. A
/// path it does not serve is 404 with a detail that says where the served ones are listed, where
/// the router's said only "Not Found". A query parameter the API's route does not take is 400
/// naming the ones it does: `asof=2025-06-30` (for `asOf`) used to be ignored, and the answer
/// was today's caseload. So is one given twice, of which the first used to win.
struct ServedPathsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let allowed = ServedPaths.methods(for: request.uri.path) else {
            return Problem.response(
                status: .notFound, title: "Not Found",
                detail: "this server has no route \(request.uri.path)\(NearestName.hint(for: request.uri.path, among: ServedPaths.fixedPaths)); GET /openapi.json lists them (the dashboard is at /)")
        }
        // HEAD reaches the router as GET (HeadResponder), so `request.method` is never HEAD here.
        if allowed.contains(request.method.rawValue) {
            if let known = ServedPaths.queryParameters(for: request.uri.path, method: request.method.rawValue) {
                let names = request.uri.queryParameters.map { String($0.key) }
                // Given twice, which one was meant? The first used to win without a word.
                if let twice = Dictionary(grouping: names, by: { $0 }).filter({ $0.value.count > 1 }).keys.sorted().first {
                    return Problem.response(status: .badRequest, title: "usage", detail: "\(twice) is given more than once; give it once")
                }
                let unknown = Set(names).subtracting(known).sorted()
                if !unknown.isEmpty {
                    let takes = known.isEmpty ? "takes no query parameters" : "takes \(known.sorted().joined(separator: ", "))"
                    return Problem.response(
                        status: .badRequest, title: "usage",
                        detail: "\(request.method.rawValue) \(request.uri.path) has no parameter \(unknown.joined(separator: ", "))\(unknown.count == 1 ? NearestName.hint(for: unknown[0], among: known) : ""): it \(takes) (names are case-sensitive)")
                }
            }
            return try await next(request, context)
        }
        var response = Problem.response(
            status: .methodNotAllowed, title: "Method Not Allowed",
            detail: "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method.rawValue)")
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }
}
