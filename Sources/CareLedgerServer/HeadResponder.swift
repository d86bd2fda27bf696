public import Hummingbird

/// Answers `HEAD` as the same `GET` without its body (RFC 9110 section 9.3.2): load balancers and
/// monitors check `/healthz` with `HEAD`, and the router knows each route only by its `GET`.
///
/// The `GET` runs whole (its status, headers and access checks are the answer's), and only its
/// body is left unsent; `Content-Length` stays what the `GET` would send.
public struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    public typealias Context = Inner.Context
    let inner: Inner

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        let answer = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        return Response(status: answer.status, headers: answer.headers, body: ResponseBody(contentLength: answer.body.contentLength) { _ in })
    }
}
